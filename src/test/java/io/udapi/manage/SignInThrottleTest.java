package io.udapi.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.limit.Decision;
import io.udapi.secret.SecretDigester;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SignInThrottle throttle = new SignInThrottle(new SecretDigester(), now::get, 3);

    @Test
    void aNameGetsItsAttemptsPerMinuteThenWaitsUntilTheOldestLeavesTheWindow() {
        for (int i = 0; i < 3; i++) {
            assertTrue(throttle.attempt("ops").allowed(), "attempt " + i);
            now.addAndGet(Duration.ofSeconds(10).toNanos());
        }
        Decision fourth = throttle.attempt("ops");
        assertFalse(fourth.allowed());
        assertEquals(30, fourth.retryAfterSeconds(), "the first attempt, 30 s ago, leaves the window in 30 s");
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertTrue(throttle.attempt("ops").allowed(), "one minute after the first attempt");
    }

    @Test
    void namesThatDifferInCaseShareAWindowAndAnotherWindowIsUntouched() {
        String other = "x";
        for (int i = 0; throttle.bucketOf(other) == throttle.bucketOf("ops"); i++) {
            other = "x" + i; // the buckets come from a random key: take a name that is known to count elsewhere
        }
        assertTrue(throttle.attempt("ops").allowed());
        assertTrue(throttle.attempt("OPS").allowed());
        assertTrue(throttle.attempt("Ops").allowed());
        assertFalse(throttle.attempt("oPs").allowed());
        assertTrue(throttle.attempt(other).allowed(), other + " counts in a window of its own");
    }

    @Test
    void theLimitIsOneToOneHundred() {
        assertThrows(IllegalArgumentException.class, () -> new SignInThrottle(new SecretDigester(), now::get, 0));
        assertThrows(IllegalArgumentException.class, () -> new SignInThrottle(new SecretDigester(), now::get, 101));
    }
}
