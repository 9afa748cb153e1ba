package io.udapi.store.es;

import io.udapi.store.AbstractStoreContractTest;
import io.udapi.store.Store;
import io.udapi.store.StoreJson;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticsearch.client.Request;

/**
 * The contract on a real Elasticsearch node (one per test JVM, see {@link ElasticsearchProcess}). Each
 * test gets its own index prefix and deletes its indices afterwards. The page size is small so that the
 * listing test crosses several pages, including an exactly full last page.
 */
class ElasticsearchStoreContractTest extends AbstractStoreContractTest {

    /** 1,500 objects are exactly three pages, so listing also reads the empty fourth. */
    static final int PAGE_SIZE = 500;
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private ElasticsearchStore esStore;

    protected ElasticsearchProcess.Distribution distribution() {
        return ElasticsearchProcess.Distribution.ELASTICSEARCH;
    }

    @Override
    protected Store openStore() {
        ElasticsearchProcess node = ElasticsearchProcess.shared(distribution());
        String prefix = "udapi-contract-" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet() + "-";
        esStore = new ElasticsearchStore(node.client(), prefix, StoreJson.mapper(), PAGE_SIZE);
        return esStore;
    }

    @Override
    protected void closeStore() throws Exception {
        Request delete = new Request("DELETE", "/" + String.join(",", esStore.indexNames()));
        delete.addParameter("ignore_unavailable", "true");
        ElasticsearchProcess.shared(distribution()).client().performRequest(delete);
    }
}
