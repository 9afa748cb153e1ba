package io.udapi.store.es;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.udapi.definition.ApiDefinition;
import io.udapi.store.Claims;
import io.udapi.store.EventLog;
import io.udapi.store.Repository;
import io.udapi.store.Store;
import io.udapi.store.StoreJson;
import io.udapi.token.ApiToken;
import io.udapi.user.AdminUser;
import java.util.List;
import org.elasticsearch.client.RestClient;

/**
 * The shared store: indices {@code <prefix>tokens}, {@code <prefix>definitions}, {@code <prefix>users}
 * and {@code <prefix>events}, plus {@code <prefix>claims} for cross-instance uniqueness (see the package
 * documentation), in an Elasticsearch (or OpenSearch) cluster reached through the
 * low-level REST client, whose hosts, credentials and TLS come from {@code quarkus.elasticsearch.*}.
 * Each index is created with its explicit mapping on first use (see {@link EsIndex}); call
 * {@link #ensureIndices()} to do it eagerly.
 */
public final class ElasticsearchStore implements Store {

    /** Objects per page of {@code list()}: 100,000 tokens take 100 searches. */
    public static final int DEFAULT_PAGE_SIZE = 1_000;

    private final EsIndex tokensIndex;
    private final EsIndex definitionsIndex;
    private final EsIndex usersIndex;
    private final EsIndex eventsIndex;
    private final EsIndex claimsIndex;
    private final Claims claims;
    private final Repository<ApiToken> tokens;
    private final Repository<ApiDefinition> definitions;
    private final Repository<AdminUser> users;
    private final EventLog events;

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
        this.tokensIndex = new EsIndex(indexPrefix + "tokens", EsDocuments.objectMapping(), es, docs);
        this.definitionsIndex = new EsIndex(indexPrefix + "definitions", EsDocuments.objectMapping(), es, docs);
        this.usersIndex = new EsIndex(indexPrefix + "users", EsDocuments.objectMapping(), es, docs);
        this.eventsIndex = new EsIndex(indexPrefix + "events", EsDocuments.eventMapping(), es, docs);
        this.tokens = new EsRepository<>(es, docs, tokensIndex, ApiToken.class, pageSize);
        this.definitions = new EsRepository<>(es, docs, definitionsIndex, ApiDefinition.class, pageSize);
        this.users = new EsRepository<>(es, docs, usersIndex, AdminUser.class, pageSize);
        this.events = new EsEventLog(es, docs, eventsIndex);
        this.claimsIndex = new EsIndex(indexPrefix + "claims", EsDocuments.claimMapping(), es, docs);
        this.claims = new EsClaims(es, docs, claimsIndex);
    }

    /** Creates the missing indices now; blocking, throws StoreUnavailableException like any operation. */
    public void ensureIndices() {
        tokensIndex.ensure();
        definitionsIndex.ensure();
        usersIndex.ensure();
        eventsIndex.ensure();
        claimsIndex.ensure();
    }

    /** The five index names, e.g. for operators' tooling and test clean-up. */
    public List<String> indexNames() {
        return List.of(tokensIndex.name, definitionsIndex.name, usersIndex.name, eventsIndex.name, claimsIndex.name);
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
    public String kind() {
        return "elasticsearch";
    }
}
