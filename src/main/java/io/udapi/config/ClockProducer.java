package io.udapi.config;

import io.quarkus.arc.DefaultBean;
import io.udapi.limit.NanoClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The clocks: the wall clock of stamps, expiry and events, and the limiters' monotonic one; tests replace them. */
public class ClockProducer {

    @Produces
    @ApplicationScoped
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The monotonic time source of the rate limiters, read once per attempt; tests may replace it with a fake one.
     * {@code @Singleton}: no client proxy between the hot path and {@link System#nanoTime()}.
     */
    @Produces
    @Singleton
    @DefaultBean
    NanoClock nanoClock() {
        return NanoClock.SYSTEM;
    }
}
