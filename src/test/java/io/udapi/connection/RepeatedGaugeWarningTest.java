package io.udapi.connection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class RepeatedGaugeWarningTest {

    private static final String MICROMETER_TEXT = "This Gauge has been already registered (MeterId{name='%s', tags=[]}), the "
            + "registration will be ignored. Note that subsequent logs will be logged at debug level.";

    private final RepeatedGaugeWarning filter = new RepeatedGaugeWarning();

    private static LogRecord record(String logger, Level level, String message) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(logger);
        return record;
    }

    @Test
    void theConnectionGaugesRepeatedRegistrationIsDropped() {
        assertFalse(filter.isLoggable(record(RepeatedGaugeWarning.LOGGER, Level.WARNING,
                MICROMETER_TEXT.formatted("vertx.http.connections.current"))));
    }

    @Test
    void theCapsMaximumGaugesRepeatedRegistrationIsDroppedToo() {
        assertFalse(filter.isLoggable(record(RepeatedGaugeWarning.LOGGER, Level.WARNING,
                MICROMETER_TEXT.formatted("vertx.http.connections.max"))));
    }

    @Test
    void anotherGaugesRepeatedRegistrationStillShows() {
        assertTrue(filter.isLoggable(record(RepeatedGaugeWarning.LOGGER, Level.WARNING,
                MICROMETER_TEXT.formatted("udapi.script.queue.depth"))));
    }

    @Test
    void theSameTextFromAnotherLoggerOrAtAnotherLevelStillShows() {
        String text = MICROMETER_TEXT.formatted("vertx.http.connections.current");
        assertTrue(filter.isLoggable(record("io.udapi.connection", Level.WARNING, text)));
        assertTrue(filter.isLoggable(record(RepeatedGaugeWarning.LOGGER, Level.SEVERE, text)));
    }

    @Test
    void everyOtherLineShows() {
        assertTrue(filter.isLoggable(record(RepeatedGaugeWarning.LOGGER, Level.WARNING, null)));
        assertTrue(filter.isLoggable(record("io.quarkus", Level.INFO, "udapi ready")));
    }
}
