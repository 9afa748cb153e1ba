package io.udapi.connection;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Drops the one WARN that every start of udapi logged and that says nothing wrong: Quarkus's HTTP verticles (one
 * per event loop) each register the {@code vertx.http.connections.current} gauge of the connection cap, all over
 * the same counter, so Micrometer warns at the second registration that it ignores it. The gauge still counts every
 * connection of the main port (docs/operations.md, "Metrics"); any other double registration, and every other line,
 * passes. Named in {@code quarkus.log.console.filter}.
 */
@LoggingFilter(name = RepeatedGaugeWarning.NAME)
public final class RepeatedGaugeWarning implements Filter {

    static final String NAME = "udapi-repeated-gauge";
    static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";
    static final String GAUGE = "MeterId{name='vertx.http.connections.current'";

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        boolean repeatedGauge = LOGGER.equals(record.getLoggerName())
                && record.getLevel().intValue() == Level.WARNING.intValue()
                && message != null && message.contains(GAUGE) && message.contains("already registered");
        return !repeatedGauge;
    }
}
