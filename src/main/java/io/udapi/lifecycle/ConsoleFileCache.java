package io.udapi.lifecycle;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Vert.x copies the console's files out of the jar to serve them, into {@code quarkus.vertx.cache-directory}:
 * {@code <udapi.file-store.dir>/vertx-cache/<a new id per start>} (application.properties), not {@code /tmp},
 * where scripts may write (docs/security.md, "Script isolation"). A new directory per start, because Vert.x never
 * replaces a copy it finds, so a copy left by an older version would be served after an upgrade. Vert.x removes
 * its directory when udapi stops; this removes those a killed instance left behind.
 */
@ApplicationScoped
public class ConsoleFileCache {

    private static final Logger LOG = Logger.getLogger(ConsoleFileCache.class);
    static final String PARENT = "vertx-cache";

    private final Path current;

    ConsoleFileCache(@ConfigProperty(name = "quarkus.vertx.cache-directory") java.util.Optional<String> directory) {
        this.current = directory.map(Path::of).orElse(null);
    }

    void onStart(@Observes StartupEvent event) {
        if (current != null && current.getParent() != null && current.getParent().getFileName() != null
                && current.getParent().getFileName().toString().equals(PARENT)) {
            int removed = removeLeftovers(current);
            if (removed > 0) {
                LOG.infof("removed %d copy(ies) of the console's files left by earlier runs in %s", removed, current.getParent());
            }
        }
    }

    /** Deletes every directory beside {@code current} in its parent; answers how many. Never throws. */
    static int removeLeftovers(Path current) {
        Path parent = current.toAbsolutePath().normalize().getParent();
        if (!Files.isDirectory(parent)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(parent)) {
            List<Path> leftovers = entries.filter(p -> !p.getFileName().equals(current.getFileName())).toList();
            for (Path leftover : leftovers) {
                delete(leftover);
            }
            return leftovers.size();
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("could not remove the console's files left by earlier runs in %s: %s", parent, e.getMessage());
            return 0;
        }
    }

    private static void delete(Path tree) throws IOException {
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
