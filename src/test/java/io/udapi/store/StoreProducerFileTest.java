package io.udapi.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** With the default configuration the application runs on the file store and never needs a cluster. */
@QuarkusTest
class StoreProducerFileTest {

    @Inject
    Store store;

    @Test
    void defaultConfigurationProducesTheFileStore() {
        assertEquals("file", store.kind());
    }
}
