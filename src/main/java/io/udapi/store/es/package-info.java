/**
 * The Elasticsearch store: {@link io.udapi.store.es.ElasticsearchStore} over Quarkus's low-level
 * {@code org.elasticsearch.client.RestClient} (hosts, credentials and TLS from
 * {@code quarkus.elasticsearch.*}). Works with Elasticsearch 8/9 and OpenSearch 2/3, using only the
 * document APIs, {@code _search}, optimistic concurrency and keyword/date fields (no scripts, no
 * {@code _update_by_query}), so the minimal distributions suffice.
 *
 * <p>Structure: everything that is sent or parsed is built by pure functions in
 * {@link io.udapi.store.es.EsDocuments} (mappings, documents, responses) and
 * {@link io.udapi.store.es.EsQueries} (searches), tested without a cluster; {@code EsClient} is the
 * thin network shell, and {@code EsRepository}/{@code EsEventLog} sequence calls and map statuses to
 * the store's exceptions. Indices are created with explicit {@code dynamic: strict} mappings on first
 * use, tolerating a concurrent creator ({@code EsIndex}).
 *
 * <p>Consistency: create is {@code op_type=create} (409 = {@code DuplicateIdException}); update and
 * delete read the document in realtime, check its version and write with
 * {@code if_seq_no}/{@code if_primary_term} (409 = {@code VersionConflictException}); writes use
 * {@code refresh=true} so the next list or event query sees them. Listing pages with
 * {@code search_after} on the keyword id, so it is not capped at 10,000 objects.
 *
 * <p>Threading: the low-level client's {@code performRequest} is blocking; every method here blocks and
 * must run on a worker thread, never on a Vert.x event loop. The classes hold no mutable state besides
 * each index's "created" flag, so they are safe for concurrent use.
 *
 * <p>Error policy: connection failures, timeouts, HTTP 5xx and 429 become
 * {@link io.udapi.store.error.StoreUnavailableException}; 404/409 become the typed data exceptions
 * above; any other refusal (a 400 from a mapping conflict, a missing index) is logged at ERROR and also
 * surfaces as {@code StoreUnavailableException}, because the store cannot serve the request until an
 * operator acts. An unreadable document is logged and skipped, never fatal to a listing.
 */
package io.udapi.store.es;
