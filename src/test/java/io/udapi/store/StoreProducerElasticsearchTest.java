package io.udapi.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.udapi.audit.Stamp;
import io.udapi.store.es.ElasticsearchTestResource;
import io.udapi.token.ApiToken;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code udapi.store=elasticsearch} produces the Elasticsearch store on Quarkus's configured client. */
@QuarkusTest
@WithTestResource(ElasticsearchTestResource.class)
class StoreProducerElasticsearchTest {

    @Inject
    Store store;

    @Test
    void elasticsearchConfigurationProducesTheElasticsearchStore() {
        ApiToken token = new ApiToken(UUID.randomUUID().toString(), "producer", "hash", 7, "abcd", false, null, null,
                Stamp.created("admin", Instant.parse("2025-01-01T00:00:00Z")), 1);

        store.tokens().create(token);

        assertEquals("elasticsearch", store.kind());
        assertEquals(Optional.of(token), store.tokens().find(token.id()));
    }
}
