package io.udapi.store.es;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The same contract on OpenSearch 3, which the store supports through the same REST subset. It costs a
 * second node (about 450 MB and 10+ s), so it runs on request:
 * {@code ./mvnw test -Dtest.opensearch=true}; otherwise JUnit reports it as skipped, with this reason.
 */
@EnabledIfSystemProperty(named = "search-engines.opensearch.enabled", matches = "true",
        disabledReason = "OpenSearch runs on request: -Dtest.opensearch=true")
class OpenSearchStoreContractTest extends ElasticsearchStoreContractTest {

    @Override
    protected ElasticsearchProcess.Distribution distribution() {
        return ElasticsearchProcess.Distribution.OPENSEARCH;
    }
}
