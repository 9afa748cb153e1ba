package io.udapi;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Every log record of the running application from {@link #start()} to {@link #close()}, through a handler on the
 * root {@code java.util.logging} logger (Quarkus's log manager routes there). Install it once the application runs:
 * its start replaces the root handlers.
 */
public final class LogCapture implements AutoCloseable {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture() {
        handler.setLevel(Level.ALL);
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture.handler);
        return capture;
    }

    /** The records so far, live: later records appear in it. */
    public List<LogRecord> records() {
        return records;
    }

    /** The formatted message of {@code record}. */
    public static String message(LogRecord record) {
        return record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
