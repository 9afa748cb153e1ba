package io.udapi.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's file copies a killed run left beside this run's are removed; this run's stays. */
class ConsoleFileCacheTest {

    @Test
    void leftoversOfEarlierRunsAreRemovedAndTheCurrentCopyStays(@TempDir Path data) throws Exception {
        Path parent = Files.createDirectories(data.resolve(ConsoleFileCache.PARENT));
        Path current = Files.createDirectories(parent.resolve("3f1c-current"));
        Files.writeString(Files.createDirectories(current.resolve("META-INF/resources/admin/js")).resolve("api.js"), "new");
        Path old = Files.createDirectories(parent.resolve("9a0b-killed/META-INF/resources/admin/js"));
        Files.writeString(old.resolve("api.js"), "old version");

        assertEquals(1, ConsoleFileCache.removeLeftovers(current));

        assertFalse(Files.exists(parent.resolve("9a0b-killed")), "the killed run's copy is gone");
        assertTrue(Files.exists(current.resolve("META-INF/resources/admin/js/api.js")), "this run's copy stays");
        assertEquals(0, ConsoleFileCache.removeLeftovers(current), "nothing left the second time");
    }

    @Test
    void aMissingParentIsNothingToRemove(@TempDir Path data) {
        assertEquals(0, ConsoleFileCache.removeLeftovers(data.resolve("vertx-cache/none-yet")));
    }
}
