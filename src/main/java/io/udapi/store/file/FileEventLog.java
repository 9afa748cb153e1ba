package io.udapi.store.file;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.udapi.audit.AuditEvent;
import io.udapi.store.EventLog;
import io.udapi.store.EventPage;
import io.udapi.store.EventQuery;
import io.udapi.store.error.StoreUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Audit events as JSON lines in {@code events.jsonl}, each appended and fsynced before it is
 * acknowledged. A crash can leave at most one torn last line, which loading cuts off; a failed append
 * cuts its own bytes off at once ({@link DurableFiles#appendDurably}).
 *
 * <p>Change feed: the cursor is the number of events this instance has seen (a position in the
 * append-ordered list), so {@link #changesAfter} is exact and never repeats an event. The file store
 * serves one instance, whose own writes already reach its registry; the feed matters mainly for
 * contract parity with the shared store.
 */
final class FileEventLog implements EventLog {

    private static final Logger LOG = Logger.getLogger(FileEventLog.class);
    private static final Comparator<AuditEvent> NEWEST_FIRST =
            Comparator.comparing(AuditEvent::at).thenComparing(AuditEvent::id).reversed();

    private final Path file;
    private final ObjectMapper json;
    /** Guarded by this; kept in append order. */
    private final List<AuditEvent> events = new ArrayList<>();

    FileEventLog(Path file, ObjectMapper json) {
        this.file = file;
        this.json = json;
        load();
    }

    /**
     * Reads the complete lines. A torn last line (a crash or a failed write left bytes without their newline)
     * is cut from the file first: left in place, the next event would be appended onto it and be unreadable
     * itself. Lines are decoded leniently, so torn UTF-8 (a route's non-ASCII summary) cannot stop the start.
     */
    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            int complete = bytes.length;
            while (complete > 0 && bytes[complete - 1] != '\n') {
                complete--;
            }
            if (complete < bytes.length) {
                LOG.warnf("cutting a torn last audit line (%d bytes, left by a crash or a failed write) from %s",
                        bytes.length - complete, file);
                DurableFiles.truncateDurably(file, complete);
            }
            for (String line : new String(bytes, 0, complete, StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    events.add(json.readValue(line, AuditEvent.class));
                } catch (IOException unreadable) {
                    LOG.warnf("skipping an unreadable audit line in %s", file);
                }
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void append(AuditEvent event) {
        try {
            byte[] line = (json.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
            DurableFiles.appendDurably(file, line);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot append to " + file + ": " + e.getMessage(), e);
        }
        events.add(event);
    }

    @Override
    public synchronized List<AuditEvent> find(EventQuery query) {
        return events.stream().filter(query::matches).sorted(NEWEST_FIRST).limit(query.limit()).toList();
    }

    @Override
    public synchronized long headCursor() {
        return events.size();
    }

    @Override
    public synchronized EventPage changesAfter(long cursor, int max) {
        int from = (int) Math.max(0, Math.min(cursor, events.size()));
        int to = (int) Math.min(events.size(), (long) from + Math.max(1, max));
        return new EventPage(List.copyOf(events.subList(from, to)), Math.max(cursor, to));
    }
}
