package io.udapi.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The keep-alive decision of {@link KeepAliveTimeout}, in virtual time (readings of a monotonic clock). */
class IdlenessTest {
    private static final long TIMEOUT = 75_000_000_000L;
    private static final long START = -5_000_000_000L; // monotonic readings may be negative

    @Test
    void aConnectionWithARequestInFlightIsCheckedAgainAWholeTimeoutLaterHoweverLongItHasBeenSilent() {
        assertEquals(new Idleness.CheckAgain(TIMEOUT), Idleness.of(1, START, START + 10 * TIMEOUT, TIMEOUT));
        assertEquals(new Idleness.CheckAgain(TIMEOUT), Idleness.of(3, START, START, TIMEOUT));
    }

    @Test
    void anIdleConnectionIsCheckedAgainWhenItsTimeoutWouldBeUp() {
        assertEquals(new Idleness.CheckAgain(TIMEOUT), Idleness.of(0, START, START, TIMEOUT));
        assertEquals(new Idleness.CheckAgain(1), Idleness.of(0, START, START + TIMEOUT - 1, TIMEOUT));
        assertEquals(new Idleness.CheckAgain(TIMEOUT - 30_000_000_000L),
                Idleness.of(0, START, START + 30_000_000_000L, TIMEOUT));
    }

    @Test
    void aConnectionIdleForTheWholeTimeoutOrLongerIsClosed() {
        assertEquals(Idleness.CLOSE, Idleness.of(0, START, START + TIMEOUT, TIMEOUT));
        assertEquals(Idleness.CLOSE, Idleness.of(0, START, START + TIMEOUT + 1, TIMEOUT));
        assertEquals(Idleness.CLOSE, Idleness.of(0, Long.MAX_VALUE - 10, Long.MIN_VALUE + TIMEOUT, TIMEOUT),
                "the clock's wrap-around is only a difference");
    }

    @Test
    void aNegativeKeepAliveTimeoutStopsTheStartWithAMessageNamingTheSetting() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> KeepAliveTimeout.timeoutNanos(java.time.Duration.ofSeconds(-1)));
        assertEquals("udapi.limits.keep-alive-timeout must be 0s (off) or positive, got PT-1S", refused.getMessage());
        assertEquals(0, KeepAliveTimeout.timeoutNanos(java.time.Duration.ZERO), "0s turns it off");
        assertEquals(TIMEOUT, KeepAliveTimeout.timeoutNanos(java.time.Duration.ofSeconds(75)));
    }

    @Test
    void aCheckAlwaysLiesAhead() {
        assertThrows(IllegalArgumentException.class, () -> new Idleness.CheckAgain(0));
    }
}
