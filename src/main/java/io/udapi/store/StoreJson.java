package io.udapi.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;

/**
 * The one JSON form of stored objects, shared by every backend so that data moves between them unchanged:
 * instants and durations as ISO-8601 strings (instants read back by {@link StoredInstants}), unknown
 * properties ignored (an older instance can read what a newer one wrote).
 *
 * <p>Deliberately independent of the application's {@code ObjectMapper}: a customisation of the REST
 * layer's JSON must never change what is on disk or in the index.
 */
public final class StoreJson {

    private StoreJson() {
    }

    /**
     * A new mapper for one store; build it once per store (it is thread-safe once configured) rather than
     * per call. A fresh instance each time means no caller can reconfigure another's mapper.
     */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(new SimpleModule("udapi-stored-instants")     // after JavaTimeModule: replaces its reader
                        .addDeserializer(Instant.class, new StoredInstants()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
