package io.udapi.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.udapi.limit.Decision;
import org.junit.jupiter.api.Test;

/** The rate-limit header values are a function of the decision alone, as the handler built them before. */
class RateLimitHeadersTest {

    @Test
    void rateLimitWhenAdmittedThenRemainingAndResetRoundedUp() {
        // 1.5 s until the oldest admission leaves the window: t rounds up to 2
        assertEquals("\"default\";r=7;t=2", RateLimitHeaders.rateLimit(Decision.allowed(7, 1_500_000_000L)));
    }

    @Test
    void rateLimitWhenDeniedThenZeroRemainingAndTheRetryAfter() {
        Decision denied = Decision.denied(30_000_000_001L); // 30 s + 1 ns: 31
        assertEquals("\"default\";r=0;t=31", RateLimitHeaders.rateLimit(denied));
        assertEquals("31", RateLimitHeaders.retryAfter(denied));
    }

    /** A window with milliseconds counts as it is; the policy header states it in seconds, rounded up. */
    @Test
    void policyOfAWindowWithMillisecondsStatesItRoundedUp() {
        io.udapi.token.RateLimit stored = new io.udapi.token.RateLimit(5, java.time.Duration.ofMillis(1_500));
        assertEquals("\"default\";q=5;w=2", RateLimitHeaders.policy(stored));
        assertEquals("\"default\";q=5;w=60", RateLimitHeaders.policy(new io.udapi.token.RateLimit(5, java.time.Duration.ofMinutes(1))));
    }

    @Test
    void retryAfterWhenFailClosedThenTheMinimumOfOneSecond() {
        assertEquals("\"default\";r=0;t=1", RateLimitHeaders.rateLimit(Decision.failClosed()));
        assertEquals("1", RateLimitHeaders.retryAfter(Decision.failClosed()));
    }
}
