/**
 * <p><b>Purpose.</b> The Elasticsearch store: {@link io.udapi.store.es.ElasticsearchStore} over Quarkus's low-level
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
 * <p>Why a fifth index, {@code <prefix>claims}: uniqueness of token names (case-insensitive) and of
 * route conflict keys must hold across instances writing at once, and Elasticsearch has no unique
 * constraint on a field. The only atomic "insert if absent" it offers is {@code op_type=create} on a
 * document id, so each unique key becomes a tiny document whose id is {@code kind:key}. The key cannot
 * be the id of the token or definition document itself (those are UUIDs, and a rename changes the
 * key, not the object), and mixing claim documents into the object indices would break their strict
 * mapping and every listing. A separate index keeps the object indices exactly one document per object.
 *
 * <p>Change feed: the events index has one shard, so {@code _seq_no} orders its writes totally;
 * {@code EsEventLog.changesAfter} ranges and sorts on it (verified against Elasticsearch 9.5.3 by the
 * store contract suite) and re-reads a small window before the cursor to catch a write that became
 * visible after a later one.
 *
 * <p>Threading: the low-level client's {@code performRequest} is blocking; every method here blocks and
 * must run on a worker thread, never on a Vert.x event loop. The classes hold no mutable state besides
 * each index's "created" flag, so they are safe for concurrent use.
 *
 * <p>Error policy: connection failures, timeouts, HTTP 5xx and 429 become
 * {@link io.udapi.store.error.StoreUnavailableException} (an outage: retry later); 404/409 become the
 * typed exceptions above. Any other 4xx is classified by {@code EsDocuments.isDataError}: one that is
 * about the document or request itself (a 400 mapping or parse error, a 413) is a
 * {@link io.udapi.store.error.StoreDataException} ({@code refused}), which the sync loop counts and
 * skips and an admin write answers without a retry hint; 401/403/408 and a missing or closed index stay
 * outages, because nothing can succeed until an operator acts. A stored document udapi cannot read is
 * skipped by a listing (logged) and is a {@code StoreDataException} ({@code unreadable}) for
 * {@code find}, never "absent". Log lines name the field at fault, never a stored value.
 */
package io.udapi.store.es;
