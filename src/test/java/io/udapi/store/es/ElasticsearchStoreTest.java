package io.udapi.store.es;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udapi.audit.Stamp;
import io.udapi.store.EventQuery;
import io.udapi.store.StoreJson;
import io.udapi.store.error.StoreDataException;
import io.udapi.store.error.StoreUnavailableException;
import io.udapi.token.ApiToken;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.http.HttpHost;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What only the Elasticsearch store has: index creation, mappings, escaping and cluster failures. */
class ElasticsearchStoreTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:15:30Z");
    private final ObjectMapper json = StoreJson.mapper();
    private final RestClient client = ElasticsearchProcess.shared().client();
    private final String prefix = "udapi-es-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @AfterEach
    void deleteIndices() throws IOException {
        Request delete = new Request("DELETE", "/" + prefix + "tokens," + prefix + "definitions," + prefix
                + "users," + prefix + "events," + prefix + "claims," + prefix + "usage");
        delete.addParameter("ignore_unavailable", "true");
        client.performRequest(delete);
    }

    private ElasticsearchStore newStore() {
        return new ElasticsearchStore(client, prefix);
    }

    private static ApiToken token(String id) {
        return new ApiToken(id, "n", "hash", 1, "abcd", false, null, null, Stamp.created("a", T0), 1);
    }

    private JsonNode get(String endpoint) throws IOException {
        return json.readTree(EntityUtils.toString(client.performRequest(new Request("GET", endpoint)).getEntity()));
    }

    @Test
    void bulkImportWritesWhatCreateWritesAndSkipsExistingIds() {
        ElasticsearchStore store = newStore();
        assertFalse(store.holdsTokensOrDefinitions());
        store.tokens().create(token("t-0"));
        assertTrue(store.holdsTokensOrDefinitions());
        List<ApiToken> tokens = new ArrayList<>();
        for (int i = 0; i < ElasticsearchStore.IMPORT_BATCH + 7; i++) {   // two batches
            tokens.add(token("t-" + i));
        }

        assertEquals(tokens.size() - 1, store.importTokens(tokens));
        assertEquals(0, store.importTokens(tokens));
        assertEquals(1, store.importClaims(List.of(new ElasticsearchStore.ClaimRow("token-name", "n", "t-1", T0))));

        assertEquals(tokens.size(), store.tokens().list().size());
        assertEquals(Optional.of(token("t-5006")), store.tokens().find("t-5006"));
        assertEquals("t-1", store.claims().owner("token-name", "n").orElseThrow().owner());
        assertFalse(store.claims().claim("token-name", "n", "t-2", T0));
    }

    @Test
    void ensureIndicesCreatesSixIndicesWithStrictMappings() throws IOException {
        ElasticsearchStore store = newStore();

        store.ensureIndices();

        assertEquals(List.of(prefix + "tokens", prefix + "definitions", prefix + "users", prefix + "events",
                prefix + "claims", prefix + "usage"), store.indexNames());
        JsonNode claims = get("/" + prefix + "claims/_mapping").path(prefix + "claims").path("mappings");
        assertEquals("strict", claims.path("dynamic").asText());
        assertEquals("keyword", claims.at("/properties/owner/type").asText());
        for (String index : store.indexNames().subList(0, 4)) {
            JsonNode mapping = get("/" + index + "/_mapping").path(index).path("mappings");
            assertEquals("strict", mapping.path("dynamic").asText(), index);
            assertEquals("keyword", mapping.at("/properties/id/type").asText(), index);
            assertFalse(mapping.at("/properties/object/enabled").asBoolean(true), index);
        }
        assertEquals("elasticsearch", store.kind());
    }

    @Test
    void severalInstancesStartingAtOnceShareTheIndices() throws Exception {
        int instances = 4;
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<ElasticsearchStore>> started = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                started.add(pool.submit(() -> {
                    go.await();
                    ElasticsearchStore store = newStore();
                    store.ensureIndices();   // all race to create the same four indices
                    return store;
                }));
            }
            go.countDown();
            List<ElasticsearchStore> stores = new ArrayList<>();
            for (Future<ElasticsearchStore> future : started) {
                stores.add(future.get(60, TimeUnit.SECONDS));
            }
            for (int i = 0; i < instances; i++) {
                stores.get(i).tokens().create(token("t-" + i));
            }

            for (ElasticsearchStore store : stores) {
                assertEquals(instances, store.tokens().list().size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void listingInParallelIdRangesListsEveryObjectOnceAcrossPages() {
        ElasticsearchStore store = new ElasticsearchStore(client, prefix, json, 3);   // pages of 3
        List<ApiToken> tokens = new ArrayList<>();
        for (String id : List.of("0a", "1b", "7z", "7~", "8", "80", "9c", "A", "f0", "z", "é", "", "-")) {
            if (!id.isEmpty()) {
                tokens.add(token(id));
            }
        }
        for (int i = 0; i < 20; i++) {
            tokens.add(token(UUID.nameUUIDFromBytes(new byte[] {(byte) i}).toString()));
        }
        assertEquals(tokens.size(), store.importTokens(tokens));

        List<String> listed = store.tokens().list().stream().map(ApiToken::id).sorted().toList();

        assertEquals(tokens.stream().map(ApiToken::id).sorted().toList(), listed);
    }

    @Test
    void aNewInstanceReadsWhatAnEarlierOneWrote() {
        newStore().tokens().create(token("kept"));

        assertEquals(Optional.of(token("kept")), newStore().tokens().find("kept"));
    }

    /**
     * An index of a version before the tag was indexed: the field is added at first use, new writes are
     * found by tag; old documents are not (TokenAdmin adds the tokens it knows by tag, re-read by id).
     */
    @Test
    void tokensIndexOfAnOlderVersionGainsLookupTagAndNewWritesAreFoundByTag() throws IOException {
        EsDocuments docs = new EsDocuments(json);
        Request create = new Request("PUT", "/" + prefix + "tokens");
        create.setJsonEntity(docs.write(EsDocuments.createIndexBody(EsDocuments.objectMapping())));
        client.performRequest(create);
        Request old = new Request("PUT", "/" + prefix + "tokens/_doc/old");
        old.addParameter("refresh", "true");
        com.fasterxml.jackson.databind.node.ObjectNode oldDoc = docs.objectDocument(token("old"));
        oldDoc.remove("lookupTag");
        old.setJsonEntity(docs.write(oldDoc));
        client.performRequest(old);
        ElasticsearchStore store = newStore();

        store.tokens().create(token("new"));

        assertEquals("integer", get("/" + prefix + "tokens/_mapping").path(prefix + "tokens")
                .at("/mappings/properties/lookupTag/type").asText());
        assertEquals(List.of(token("new")), store.tokensWithTag(1));
        assertEquals(Optional.of(token("old")), store.tokens().find("old"));
    }

    /**
     * An index created before rotation overlaps (lookupTag, no previousLookupTag): the field is added when an
     * instance first uses the index (PUT _mapping is additive), and a token in an overlap is then found by the
     * tag of its previous secret.
     */
    @Test
    void tokensIndexWithoutPreviousLookupTagGainsItAndATokenInAnOverlapIsFoundByThePreviousTag() throws IOException {
        EsDocuments docs = new EsDocuments(json);
        com.fasterxml.jackson.databind.node.ObjectNode older = EsDocuments.tokenMapping();
        ((com.fasterxml.jackson.databind.node.ObjectNode) older.path("properties")).remove("previousLookupTag");
        Request create = new Request("PUT", "/" + prefix + "tokens");
        create.setJsonEntity(docs.write(EsDocuments.createIndexBody(older)));
        client.performRequest(create);
        ElasticsearchStore store = newStore();
        ApiToken rotated = token("rotated").rotatedTo("hash2", 2, "wxyz", T0, T0.plusSeconds(60)).next("a", T0);

        store.tokens().create(rotated);

        assertEquals("integer", get("/" + prefix + "tokens/_mapping").path(prefix + "tokens")
                .at("/mappings/properties/previousLookupTag/type").asText());
        assertEquals(List.of(rotated), store.tokensWithTag(1), "by the previous secret's tag");
        assertEquals(List.of(rotated), store.tokensWithTag(2), "by the current secret's tag");
    }

    @Test
    void tokensWithTagSkipsAnUnreadableDocument() throws IOException {
        ElasticsearchStore store = newStore();
        store.tokens().create(token("good"));
        Request broken = new Request("PUT", "/" + prefix + "tokens/_doc/broken");
        broken.addParameter("refresh", "true");
        broken.setJsonEntity("{\"id\":\"broken\",\"version\":1,\"lookupTag\":1,\"object\":{\"id\":\"broken\"}}");
        client.performRequest(broken);

        assertEquals(List.of(token("good")), store.tokensWithTag(1));
    }

    @Test
    void existingIndexWithAConflictingMappingThenStoreUnavailable() throws IOException {
        Request create = new Request("PUT", "/" + prefix + "tokens");
        create.setJsonEntity("{\"mappings\":{\"properties\":{\"version\":{\"type\":\"keyword\"}}}}");
        client.performRequest(create);
        ElasticsearchStore store = newStore();

        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> store.tokens().list());
        assertTrue(e.getMessage().contains("incompatible mapping"), e.getMessage());
        assertEquals(List.of(), store.events().find(new EventQuery(null, null, null, 10)), "other indices work");
    }

    @Test
    void idsThatNeedEscapingRoundTrip() {
        ElasticsearchStore store = newStore();
        String id = "a b/c?d#e%f+g&h=ü";

        store.tokens().create(token(id));

        assertEquals(Optional.of(token(id)), store.tokens().find(id));
        assertEquals(List.of(token(id)), store.tokens().list());
        store.tokens().delete(id, 1);
        assertEquals(Optional.empty(), store.tokens().find(id));
    }

    @Test
    void anUnreadableDocumentIsSkippedByListAndADataErrorForFind() throws IOException {
        ElasticsearchStore store = newStore();
        store.tokens().create(token("good"));
        Request broken = new Request("PUT", "/" + prefix + "tokens/_doc/broken");
        broken.addParameter("refresh", "true");
        broken.setJsonEntity("{\"id\":\"broken\",\"version\":1,\"object\":{\"id\":\"broken\"}}"); // no name, no stamp
        client.performRequest(broken);
        // listed before "good" and refused in the middle of the object: the listing must find "good" after it
        Request midway = new Request("PUT", "/" + prefix + "tokens/_doc/a-midway");
        midway.addParameter("refresh", "true");
        midway.setJsonEntity("{\"id\":\"a-midway\",\"version\":1,\"object\":{\"id\":\"a-midway\",\"lookupTag\":\"x\","
                + "\"stamp\":{\"createdBy\":\"a\",\"createdAt\":\"2026-12-07T00:00:00Z\"},\"name\":\"n\"}}");
        client.performRequest(midway);

        assertEquals(List.of(token("good")), store.tokens().list());
        // not "absent": the sync loop would otherwise drop a token whose stored form is damaged
        StoreDataException e = assertThrows(StoreDataException.class, () -> store.tokens().find("broken"));
        assertEquals(StoreDataException.Kind.unreadable, e.kind());
    }

    @Test
    void aDocumentElasticsearchRefusesIsADataErrorNotAnOutage() {
        ElasticsearchStore store = newStore();
        String tooLong = "t-" + "x".repeat(600);   // over Elasticsearch's 512-byte _id limit: 400 for this write only

        StoreDataException e = assertThrows(StoreDataException.class, () -> store.tokens().create(token(tooLong)));

        assertEquals(StoreDataException.Kind.refused, e.kind());
        assertEquals(400, e.status());
        store.tokens().create(token("fine"));
        assertEquals(List.of(token("fine")), store.tokens().list());
    }

    @Test
    void unreachableClusterThenStoreUnavailableForEveryOperation() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (RestClient nowhere = RestClient.builder(new HttpHost("127.0.0.1", closedPort, "http")).build()) {
            ElasticsearchStore store = new ElasticsearchStore(nowhere, prefix);

            assertThrows(StoreUnavailableException.class, () -> store.tokens().list());
            assertThrows(StoreUnavailableException.class, () -> store.tokens().find("x"));
            assertThrows(StoreUnavailableException.class, () -> store.tokens().create(token("x")));
            assertThrows(StoreUnavailableException.class, () -> store.users().delete("x", 1));
            assertThrows(StoreUnavailableException.class,
                    () -> store.events().find(new EventQuery(null, null, null, 1)));
        }
    }
}
