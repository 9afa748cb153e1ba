package io.udapi.limit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The settings udapi.limits.redis.* as client options: what is refused at start, and that no password is repeated. */
class RedisConnectionsTest {

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 1, 2, 257})
    void optionsWhenPoolOutsideThreeTo256ThenRefusedNamingTheSetting(int pool) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> RedisConnections.options(
                "redis://127.0.0.1:6379", Optional.empty(), List.of(), pool, Duration.ofSeconds(1)));
        assertTrue(refused.getMessage().startsWith("udapi.limits.redis.max-pool-size is " + pool + "; it must be 3..256"),
                refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://h:1", "redis:/nohost", "h:6379", "", "redis://user:s3cret-pw@", "rediss//x"})
    void optionsWhenUrlIsNotRedisThenRefusedWithoutRepeatingIt(String url) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> RedisConnections.options(
                url, Optional.empty(), List.of(), 8, Duration.ofSeconds(1)));
        assertEquals("udapi.limits.redis.url must be redis://host:port or rediss://host:port", refused.getMessage());
    }

    @Test
    void optionsWhenValidThenPipelineBoundsAndTimeoutsAreSet() {
        RedisOptions options = RedisConnections.options("rediss://cache.example:6380", Optional.of("pw"), List.of(), 3,
                Duration.ZERO);
        assertEquals(RedisConnections.MAX_IN_FLIGHT, options.getMaxWaitingHandlers());
        assertEquals(3, options.getMaxPoolSize());
        assertEquals(100, options.getNetClientOptions().getConnectTimeout(), "a retry interval of 0 still connects");
        assertEquals(30, options.getNetClientOptions().getReadIdleTimeout());
        assertTrue(options.getNetClientOptions().isSsl());
        assertEquals("HTTPS", options.getNetClientOptions().getHostnameVerificationAlgorithm());
        assertEquals("rediss://cache.example:6380", RedisConnections.address("rediss://cache.example:6380"));
        assertFalse(RedisConnections.address("redis://u:secret@h:1").contains("secret"), "the log form has no password");
    }
}
