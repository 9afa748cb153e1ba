package io.udapi.store.es;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.udapi.definition.ApiDefinition;
import io.udapi.store.Claims;
import io.udapi.store.EventLog;
import io.udapi.store.Repository;
import io.udapi.store.Store;
import io.udapi.store.UsageLog;
import io.udapi.store.StoreJson;
import io.udapi.store.error.StoreUnavailableException;
import io.udapi.token.ApiToken;
import io.udapi.user.AdminUser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.udapi.audit.AuditEvent;
import io.udapi.audit.Versioned;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.elasticsearch.client.RestClient;

/**
 * The shared store: indices {@code <prefix>tokens}, {@code <prefix>definitions}, {@code <prefix>users}
 * and {@code <prefix>events}, plus {@code <prefix>claims} for cross-instance uniqueness and {@code <prefix>usage} for when tokens were last used (see the package
 * documentation), in an Elasticsearch (or OpenSearch) cluster reached through the
 * low-level REST client, whose hosts, credentials and TLS come from {@code quarkus.elasticsearch.*}.
 * Each index is created with its explicit mapping on first use (see {@link EsIndex}); call
 * {@link #ensureIndices()} to do it eagerly.
 */
public final class ElasticsearchStore implements Store {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ElasticsearchStore.class);

    /** Objects per page of {@code list()}: 100,000 tokens take 10 searches per id range. */
    public static final int DEFAULT_PAGE_SIZE = EsQueries.MAX_WINDOW;

    private final EsIndex tokensIndex;
    private final EsIndex definitionsIndex;
    private final EsIndex usersIndex;
    private final EsIndex eventsIndex;
    private final EsIndex claimsIndex;
    private final EsIndex usageIndex;
    private final UsageLog usage;
    private final Claims claims;
    private final Repository<ApiToken> tokens;
    private final Repository<ApiDefinition> definitions;
    private final Repository<AdminUser> users;
    private final EventLog events;
    private final EsClient es;
    private final EsDocuments docs;

    public ElasticsearchStore(RestClient client, String indexPrefix) {
        this(client, indexPrefix, StoreJson.mapper(), DEFAULT_PAGE_SIZE);
    }

    /** @param pageSize objects per search while listing, 1..10,000 */
    public ElasticsearchStore(RestClient client, String indexPrefix, ObjectMapper json, int pageSize) {
        if (pageSize < 1 || pageSize > EsQueries.MAX_WINDOW) {
            throw new IllegalArgumentException("pageSize " + pageSize + " is outside 1.." + EsQueries.MAX_WINDOW);
        }
        EsClient es = new EsClient(client, json);
        EsDocuments docs = new EsDocuments(json);
        this.es = es;
        this.docs = docs;
        this.tokensIndex = new EsIndex(indexPrefix + "tokens", EsDocuments.tokenMapping(), es, docs);
        this.definitionsIndex = new EsIndex(indexPrefix + "definitions", EsDocuments.objectMapping(), es, docs);
        this.usersIndex = new EsIndex(indexPrefix + "users", EsDocuments.objectMapping(), es, docs);
        this.eventsIndex = new EsIndex(indexPrefix + "events", EsDocuments.eventMapping(), es, docs);
        this.tokens = new EsRepository<>(es, docs, tokensIndex, ApiToken.class, pageSize);
        this.definitions = new EsRepository<>(es, docs, definitionsIndex, ApiDefinition.class, pageSize);
        this.users = new EsRepository<>(es, docs, usersIndex, AdminUser.class, pageSize);
        this.events = new EsEventLog(es, docs, eventsIndex);
        this.claimsIndex = new EsIndex(indexPrefix + "claims", EsDocuments.claimMapping(), es, docs);
        this.claims = new EsClaims(es, docs, claimsIndex);
        this.usageIndex = new EsIndex(indexPrefix + "usage", EsUsageLog.mapping(), es, docs);
        this.usage = new EsUsageLog(es, docs, usageIndex);
    }

    /** Creates the missing indices now; blocking, throws StoreUnavailableException like any operation. */
    public void ensureIndices() {
        tokensIndex.ensure();
        definitionsIndex.ensure();
        usersIndex.ensure();
        eventsIndex.ensure();
        claimsIndex.ensure();
        usageIndex.ensure();
    }

    /** The six index names, e.g. for operators' tooling and test clean-up. */
    public List<String> indexNames() {
        return List.of(tokensIndex.name, definitionsIndex.name, usersIndex.name, eventsIndex.name, claimsIndex.name,
                usageIndex.name);
    }

    /** Documents per {@code _bulk} request of the import methods (a few MB per request). */
    public static final int IMPORT_BATCH = 5_000;

    /**
     * Bulk import for migrations and benchmarks, with the very documents {@code create} writes: op
     * {@code create}, so an id that already exists is kept unchanged and skipped (importing twice is
     * harmless). One refresh per batch instead of one per object. Writes no audit event and no claim.
     *
     * @return how many were created (the others existed)
     */
    public int importTokens(List<ApiToken> values) {
        return importObjects(tokensIndex, values);
    }

    /** As {@link #importTokens}. */
    public int importDefinitions(List<ApiDefinition> values) {
        return importObjects(definitionsIndex, values);
    }

    /** As {@link #importTokens}. */
    public int importUsers(List<AdminUser> values) {
        return importObjects(usersIndex, values);
    }

    /** As {@link #importTokens}, for audit events (their id is the {@code _id}, as {@code append} writes it). */
    public int importEvents(List<AuditEvent> values) {
        return bulkCreate(eventsIndex, values, AuditEvent::id, docs::eventDocument);
    }

    /** Whether the tokens or definitions index holds any document: one small search, whatever the size. */
    public boolean holdsTokensOrDefinitions() {
        tokensIndex.ensure();
        definitionsIndex.ensure();
        EsClient.Reply reply = es.perform("POST", "/" + tokensIndex.name + "," + definitionsIndex.name + "/_search",
                Map.of(), "{\"size\":1,\"_source\":false,\"query\":{\"match_all\":{}}}");
        if (!reply.ok()) {
            throw new IllegalStateException("cannot search " + tokensIndex.name + ": " + reply.summary());
        }
        return !EsDocuments.hits(reply.body()).isEmpty();
    }

    /** A claim to import: see {@link Claims}. */
    public record ClaimRow(String kind, String key, String owner, java.time.Instant at) {
    }

    /** As {@link #importTokens}, for claims: an existing claim of the same key is kept whoever holds it. */
    public int importClaims(List<ClaimRow> values) {
        return bulkCreate(claimsIndex, values, c -> EsDocuments.claimId(c.kind(), c.key()),
                c -> docs.claimDocument(c.kind(), c.key(), c.owner(), c.at()));
    }

    private int importObjects(EsIndex index, List<? extends Versioned> values) {
        return bulkCreate(index, values, Versioned::id, docs::objectDocument);
    }

    private <T> int bulkCreate(EsIndex index, List<? extends T> values, Function<T, String> id,
            Function<T, ObjectNode> document) {
        index.ensure();
        int created = 0;
        for (int from = 0; from < values.size(); from += IMPORT_BATCH) {
            StringBuilder bulk = new StringBuilder();
            for (T value : values.subList(from, Math.min(values.size(), from + IMPORT_BATCH))) {
                ObjectNode action = JsonNodeFactory.instance.objectNode();
                action.putObject("create").put("_id", id.apply(value));
                bulk.append(docs.write(action)).append('\n').append(docs.write(document.apply(value))).append('\n');
            }
            EsClient.Reply reply = es.perform("POST", "/" + index.name + "/_bulk", Map.of("refresh", "true"),
                    bulk.toString());
            if (!reply.ok()) {
                throw new IllegalStateException("bulk import into " + index.name + " failed: " + reply.summary());
            }
            for (JsonNode item : reply.body().path("items")) {
                int status = item.path("create").path("status").asInt();
                if (status == 201) {
                    created++;
                } else if (status != 409) {   // 409: the id exists, kept as it is
                    throw new IllegalStateException("bulk import into " + index.name + " refused "
                            + item.path("create").path("_id").asText() + ": " + item.path("create").path("error"));
                }
            }
        }
        return created;
    }

    /**
     * One search on {@code lookupTag} or {@code previousLookupTag} (a rotation overlap, docs/tokens.md);
     * writes use {@code refresh=true}, so every acknowledged token write
     * is found. Tokens last written by a version that did not index the tag are not: see
     * {@link Store#tokensWithTag}.
     */
    @Override
    public List<ApiToken> tokensWithTag(int tag) {
        tokensIndex.ensure();
        EsClient.Reply reply = es.perform("POST", "/" + tokensIndex.name + "/_search", Map.of(),
                docs.write(EsQueries.tokensWithTag(tag)));
        if (!reply.ok()) {
            throw new StoreUnavailableException("Elasticsearch refused to search " + tokensIndex.name + " by tag: "
                    + reply.summary());
        }
        List<JsonNode> hits = EsDocuments.hits(reply.body());
        if (hits.size() >= EsQueries.MAX_WINDOW) {
            throw new StoreUnavailableException(hits.size() + " tokens share one lookup tag in " + tokensIndex.name);
        }
        List<ApiToken> tokens = new java.util.ArrayList<>(hits.size());
        for (JsonNode hit : hits) {
            try {
                tokens.add(docs.objectOf(hit.path("_source"), ApiToken.class));
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                // like list(): a document no instance can load authenticates nobody, so it holds no secret
                LOG.warnf("skipping the unreadable token %s of %s: %s", hit.path("_id").asText(), tokensIndex.name,
                        e.getMessage());
            }
        }
        return tokens;
    }

    @Override
    public Claims claims() {
        return claims;
    }

    @Override
    public Repository<ApiToken> tokens() {
        return tokens;
    }

    @Override
    public Repository<ApiDefinition> definitions() {
        return definitions;
    }

    @Override
    public Repository<AdminUser> users() {
        return users;
    }

    @Override
    public EventLog events() {
        return events;
    }

    @Override
    public UsageLog usage() {
        return usage;
    }

    @Override
    public String kind() {
        return "elasticsearch";
    }
}
