package io.udapi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pepper generated for the file store when none is configured (docs/security.md). */
class LocalPepperTest {

    @TempDir
    Path dir;

    @Test
    void firstStartGeneratesAnOwnerOnlyPepperThatLaterStartsRead() throws Exception {
        Path file = dir.resolve("data").resolve("pepper");

        String generated = SecretBeans.localPepper(file);

        assertTrue(generated.length() >= 43, "32 random bytes, base64: " + generated.length());
        assertEquals(generated, Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals(generated, SecretBeans.localPepper(file), "read again, not generated again");
    }

    @Test
    void anEmptyPepperFileRefusesTheStartInsteadOfPepperingWithNothing() throws Exception {
        Path file = dir.resolve("pepper");
        Files.writeString(file, "  \n");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> SecretBeans.localPepper(file));

        assertTrue(refused.getMessage().contains("is empty"), refused.getMessage());
        assertEquals("  \n", Files.readString(file), "left as it was");
    }
}
