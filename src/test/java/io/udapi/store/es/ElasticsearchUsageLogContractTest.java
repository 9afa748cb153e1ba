package io.udapi.store.es;

import io.udapi.store.AbstractUsageLogContractTest;
import io.udapi.store.StoreJson;
import io.udapi.store.UsageLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The usage contract on a real Elasticsearch node ({@link ElasticsearchProcess}); the tests share one
 * store with its own index prefix and use random token ids, so they need no clean-up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ElasticsearchUsageLogContractTest extends AbstractUsageLogContractTest {

    private UsageLog usage;

    @BeforeAll
    void createStore() {
        ElasticsearchStore store = new ElasticsearchStore(
                ElasticsearchProcess.shared(ElasticsearchProcess.Distribution.ELASTICSEARCH).client(),
                "udapi-usage-contract-" + ProcessHandle.current().pid() + "-", StoreJson.mapper(), 500);
        store.ensureIndices();
        usage = store.usage();
    }

    @Override
    protected UsageLog usageLog() {
        return usage;
    }
}
