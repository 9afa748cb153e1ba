package io.udapi.store.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udapi.store.AbstractStoreContractTest;
import io.udapi.store.Store;
import io.udapi.store.StoreJson;
import io.udapi.token.ApiToken;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract on a real Elasticsearch node (one per test JVM, see {@link ElasticsearchProcess}).
 *
 * <p>The tests of this class share one {@link ElasticsearchStore} and its four indices; after each test
 * every document is deleted, which is far cheaper than creating four indices per test (index creation
 * and the "created by another instance" path are covered by {@link ElasticsearchStoreTest}). The page
 * size is small so that listing 1,500 objects crosses several pages, including an exactly full last
 * page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ElasticsearchStoreContractTest extends AbstractStoreContractTest {

    /** 1,500 objects are exactly three pages, so listing also reads the empty fourth. */
    static final int PAGE_SIZE = 500;
    private static final AtomicInteger CLASSES = new AtomicInteger();
    private final ObjectMapper json = StoreJson.mapper();

    private String prefix;
    private ElasticsearchStore esStore;

    protected ElasticsearchProcess.Distribution distribution() {
        return ElasticsearchProcess.Distribution.ELASTICSEARCH;
    }

    private RestClient client() {
        return ElasticsearchProcess.shared(distribution()).client();
    }

    @BeforeAll
    void createStore() {
        prefix = "udapi-contract-" + ProcessHandle.current().pid() + "-" + CLASSES.incrementAndGet() + "-";
        esStore = new ElasticsearchStore(client(), prefix, StoreJson.mapper(), PAGE_SIZE);
        esStore.ensureIndices();
    }

    @Override
    protected Store openStore() {
        return esStore;
    }

    /**
     * Seeds through {@code _bulk} with the very documents {@link EsDocuments} builds for
     * {@code create}: with {@code refresh=true} per write, 1,500 single creates would dominate this
     * class's run time without testing more than the other tests do.
     */
    @Override
    protected void createMany(List<ApiToken> tokens) throws IOException {
        EsDocuments docs = new EsDocuments(json);
        String index = prefix + "tokens";
        for (int from = 0; from < tokens.size(); from += PAGE_SIZE) {
            StringBuilder bulk = new StringBuilder();
            for (ApiToken token : tokens.subList(from, Math.min(tokens.size(), from + PAGE_SIZE))) {
                bulk.append("{\"create\":{\"_id\":").append(json.writeValueAsString(token.id())).append("}}\n")
                        .append(docs.write(docs.objectDocument(token))).append('\n');
            }
            Request request = new Request("POST", "/" + index + "/_bulk");
            request.addParameter("refresh", "true");
            request.setJsonEntity(bulk.toString());
            JsonNode result = read(client().performRequest(request));
            if (result.path("errors").asBoolean()) {
                throw new IllegalStateException("bulk seeding failed: " + result);
            }
        }
    }

    /** Deletes every document of the four indices (this distribution has no _delete_by_query). */
    @Override
    protected void closeStore() throws IOException {
        Request search = new Request("POST", "/" + String.join(",", esStore.indexNames()) + "/_search");
        search.setJsonEntity("{\"size\":10000,\"_source\":false,\"query\":{\"match_all\":{}}}");
        List<JsonNode> hits = EsDocuments.hits(read(client().performRequest(search)));
        if (hits.isEmpty()) {
            return;
        }
        StringBuilder bulk = new StringBuilder();
        for (JsonNode hit : hits) {
            bulk.append("{\"delete\":{\"_index\":").append(json.writeValueAsString(hit.path("_index").asText()))
                    .append(",\"_id\":").append(json.writeValueAsString(hit.path("_id").asText())).append("}}\n");
        }
        Request delete = new Request("POST", "/_bulk");
        delete.addParameter("refresh", "true");
        delete.setJsonEntity(bulk.toString());
        JsonNode result = read(client().performRequest(delete));
        if (result.path("errors").asBoolean()) {
            throw new IllegalStateException("clean-up failed: " + result);
        }
    }

    @AfterAll
    void deleteIndices() throws IOException {
        Request delete = new Request("DELETE", "/" + prefix + "tokens," + prefix + "definitions," + prefix
                + "users," + prefix + "events," + prefix + "claims");
        delete.addParameter("ignore_unavailable", "true");
        client().performRequest(delete);
    }

    private JsonNode read(Response response) throws IOException {
        return json.readTree(EntityUtils.toString(response.getEntity()));
    }
}
