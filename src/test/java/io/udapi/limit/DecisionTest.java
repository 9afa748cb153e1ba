package io.udapi.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DecisionTest {

    @ParameterizedTest(name = "{0} ns -> {1} s")
    @CsvSource({
        "0, 0",
        "-5, 0",                     // negative durations never happen; treated as 0
        "1, 1",                      // any fraction rounds up
        "999999999, 1",
        "1000000000, 1",             // exactly one second stays one second
        "1000000001, 2",
        "4500000000, 5",             // 4.5 s -> 5 (docs/concepts.md, "Rate limits": rounded up)
        "5000000000, 5",
        "86400000000000, 86400",     // one day
        "9223372036854775807, 9223372037"
    })
    void ceilSecondsRoundsUp(long nanos, long seconds) {
        assertEquals(seconds, Decision.ceilSeconds(nanos));
    }

    @Test
    void retryAfterSecondsIsAtLeastOne() {
        assertEquals(1, Decision.denied(1).retryAfterSeconds());
        assertEquals(1, Decision.failClosed().retryAfterSeconds());
        assertEquals(3, Decision.denied(2_000_000_001L).retryAfterSeconds());
    }

    @Test
    void deniedHasNothingRemainingAndResetEqualsRetryAfter() {
        Decision d = Decision.denied(42);
        assertFalse(d.allowed());
        assertEquals(0, d.remaining());
        assertEquals(42, d.retryAfterNanos());
        assertEquals(42, d.resetNanos());
        assertFalse(d.isFailClosed());
    }

    @Test
    void failClosedIsADenialWithoutTime() {
        Decision d = Decision.failClosed();
        assertFalse(d.allowed());
        assertTrue(d.isFailClosed());
        assertEquals(0, d.resetSeconds());
    }

    @Test
    void factoriesRejectInconsistentValues() {
        assertThrows(IllegalArgumentException.class, () -> Decision.denied(0));
        assertThrows(IllegalArgumentException.class, () -> Decision.allowed(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> Decision.allowed(1, -5));
        assertThrows(IllegalArgumentException.class, () -> new Decision(true, 1, 3, 5));
        assertThrows(IllegalArgumentException.class, () -> new Decision(false, 1, 3, 5));
    }
}
