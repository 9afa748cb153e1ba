package io.udapi.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.udapi.token.RateLimit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The allocation-free replacements in the handler's hot path answer what the code they replaced answered. */
class TriggerHandlerHotPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "/api/custom/a/b", "/api/custom/caf\u00e9", "/api/custom/\u20ac\u4e2d",
            "/api/custom/\ud83d\ude00x", "/api/custom/\ud83d", "/api/custom/\ude00\ud83d", "a\ud83dbc\udc00",
            "\u007f\u0080\u07ff\u0800\uffff"})
    void utf8LengthWhenAnyTextThenSameAsGetBytes(String s) {
        assertEquals(s.getBytes(StandardCharsets.UTF_8).length, UrlStage.utf8Length(s));
    }

    @Test
    void policyHeaderWhenSameLimitThenSameValueAsBefore() {
        RateLimit limit = new RateLimit(100, Duration.ofMinutes(1));
        assertEquals("\"default\";q=100;w=60", RateLimitHeaders.policy(limit));
        assertSame(RateLimitHeaders.policy(limit), RateLimitHeaders.policy(new RateLimit(100, Duration.ofMinutes(1))));
        assertEquals("\"default\";q=1;w=86400", RateLimitHeaders.policy(new RateLimit(1, Duration.ofDays(1))));
    }
}
