package io.udapi.manage;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Replaces the production clock (a {@code @DefaultBean}) in tests: the system clock plus an offset that
 * tests may only move forward, so that expiry can be tested without sleeping and without ever making
 * time run backwards for the other tests sharing the application.
 */
@ApplicationScoped
public class TestClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(Clock.system(zone), offset.get());
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    /** Moves time forward for every later request. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("the test clock only moves forward");
        }
        offset.accumulateAndGet(by, Duration::plus);
    }
}
