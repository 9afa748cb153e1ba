package io.udapi.store;

import io.udapi.config.UdapiConfig;
import io.udapi.store.file.FileStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Chooses the store backend from {@code udapi.store}, in one place. */
public class StoreProducer {

    @Produces
    @ApplicationScoped
    Store store(UdapiConfig config) {
        return switch (config.store()) {
            case file -> new FileStore(config.fileStore().dir(), StoreJson.mapper());
            case elasticsearch -> throw new IllegalStateException("the elasticsearch store is not available yet");
        };
    }
}
