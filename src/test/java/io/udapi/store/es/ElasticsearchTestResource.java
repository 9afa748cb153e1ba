package io.udapi.store.es;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/**
 * For {@code @QuarkusTest}s that run the application on the Elasticsearch store:
 * {@code @WithTestResource(ElasticsearchTestResource.class)}. It points the Quarkus client at the
 * JVM-wide node of {@link ElasticsearchProcess#shared()} and gives each application start its own
 * index prefix, so test profiles do not see each other's data. The node outlives this resource (it is
 * stopped by a shutdown hook), so {@link #stop()} does nothing.
 */
public class ElasticsearchTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        ElasticsearchProcess node = ElasticsearchProcess.shared();
        return Map.of(
                "udapi.store", "elasticsearch",
                "quarkus.elasticsearch.hosts", node.hostAndPort(),
                "quarkus.elasticsearch.devservices.enabled", "false",
                "udapi.elasticsearch.index-prefix", "udapi-it-" + UUID.randomUUID().toString().substring(0, 8) + "-");
    }

    @Override
    public void stop() {
        // the shared node is stopped by its shutdown hook
    }
}
