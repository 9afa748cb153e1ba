package io.udapi.connection;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Drops the one WARN that every start of udapi logged and that says nothing wrong: Quarkus's HTTP verticles (one
 * per event loop) each register the {@code vertx.http.connections.current} and {@code .max} gauges of the
 * connection cap, all over the same values, so Micrometer warns at the first repeated registration that it ignores it. The gauge still counts every
 * connection of the main port (docs/operations.md, "Metrics"); any other double registration, and every other line,
 * passes. Named in {@code quarkus.log.console.filter}.
 */
@LoggingFilter(name = RepeatedGaugeWarning.NAME)
public final class RepeatedGaugeWarning implements Filter {

    static final String NAME = "udapi-repeated-gauge";
    static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";
    /** Both gauges of the cap ({@code .current}, {@code .max}): which one Micrometer warns about varies by run. */
    static final String GAUGE = "MeterId{name='vertx.http.connections.";

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        boolean repeatedGauge = LOGGER.equals(record.getLoggerName())
                && record.getLevel().intValue() == Level.WARNING.intValue()
                && message != null && message.contains(GAUGE) && message.contains("already registered");
        return !repeatedGauge;
    }
}
