package io.udapi.manage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.udapi.audit.AuditEvent;
import io.udapi.os.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The audit events the store has not taken yet, on disk ({@code udapi.audit.outbox}, docs/operations.md, "Audit
 * events during an outage"), so that a crash during an outage loses none of them: the next start appends them.
 * One JSON line per event: a kept event is appended and forced to disk before its write is answered, and once
 * the store has taken some, the file is replaced atomically by those still waiting. A line torn by a crash is
 * logged and skipped at the next start. Appending an event twice is harmless: the store writes an event under
 * its id. Where the file cannot be written (a read-only directory), the events stay
 * in memory only, and one WARN says so.
 */
final class AuditOutbox {

    private static final Logger LOG = Logger.getLogger("io.udapi.audit");

    private final Optional<Path> file;
    private final ObjectMapper json;
    private boolean warned; // guarded by this

    /** @param file where the events are kept; empty: in memory only */
    AuditOutbox(Optional<Path> file, ObjectMapper json) {
        this.file = file;
        this.json = json;
    }

    /** The events an earlier process kept, oldest first; a line that cannot be read is logged and dropped. */
    synchronized List<AuditEvent> load() {
        List<AuditEvent> kept = new ArrayList<>();
        if (file.isEmpty() || !Files.exists(file.get())) {
            return kept;
        }
        try {
            for (String line : Files.readAllLines(file.get(), StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    kept.add(json.readValue(line, AuditEvent.class));
                } catch (IOException | IllegalArgumentException unreadable) {
                    LOG.errorf("an audit event in %s cannot be read (%s); it is: %s", file.get(), unreadable.getMessage(), line);
                }
            }
        } catch (IOException e) {
            LOG.errorf("cannot read the audit outbox %s (%s): the events it holds are not appended", file.get(), e.getMessage());
        }
        if (!kept.isEmpty()) {
            LOG.warnf("%d audit event(s) an earlier run could not store are appended again (from %s)", kept.size(), file.get());
        }
        return kept;
    }

    /** Adds {@code event} to the file, on disk when this returns. */
    synchronized void add(AuditEvent event) {
        if (file.isEmpty()) {
            return;
        }
        Path path = file.get();
        try {
            PrivateFiles.privateDirectory(path.toAbsolutePath().getParent());
            PrivateFiles.append(path, (json.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            unwritable(path, e);
        }
    }

    /** Keeps exactly {@code waiting} on disk (nothing: the file is removed). */
    synchronized void keep(Collection<AuditEvent> waiting) {
        if (file.isEmpty()) {
            return;
        }
        Path path = file.get();
        try {
            if (waiting.isEmpty()) {
                Files.deleteIfExists(path);
                return;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (AuditEvent event : waiting) {
                out.write(json.writeValueAsBytes(event));
                out.write('\n');
            }
            PrivateFiles.privateDirectory(path.toAbsolutePath().getParent());
            PrivateFiles.replace(path, out.toByteArray());
        } catch (IOException e) {
            unwritable(path, e);
        }
    }

    private void unwritable(Path path, IOException e) {
        if (!warned) {
            warned = true;
            LOG.warnf("cannot write the audit outbox %s (%s): audit events met by an outage are kept in memory "
                    + "only, and a crash before the store is back loses them", path, e.getMessage());
        }
    }
}
