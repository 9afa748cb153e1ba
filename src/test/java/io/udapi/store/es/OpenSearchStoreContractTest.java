package io.udapi.store.es;

/** The same contract on OpenSearch 3, which the store supports through the same REST subset. */
class OpenSearchStoreContractTest extends ElasticsearchStoreContractTest {

    @Override
    protected ElasticsearchProcess.Distribution distribution() {
        return ElasticsearchProcess.Distribution.OPENSEARCH;
    }
}
