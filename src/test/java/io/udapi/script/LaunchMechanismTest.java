package io.udapi.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LaunchMechanismTest {

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(LaunchMechanism.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(LaunchMechanism.PROPERTY);
        } else {
            System.setProperty(LaunchMechanism.PROPERTY, saved);
        }
    }

    @Test
    void preferVforkWhenOperatorChoseAMechanismThenKeepsIt() {
        System.setProperty(LaunchMechanism.PROPERTY, "FORK");
        assertFalse(LaunchMechanism.preferVfork());
        assertEquals("FORK", System.getProperty(LaunchMechanism.PROPERTY));
    }

    @Test
    void preferVforkWhenUnsetThenVforkOnlyOnLinuxBeforeJdk21() {
        System.clearProperty(LaunchMechanism.PROPERTY);
        boolean expected = System.getProperty("os.name", "").startsWith("Linux") && Runtime.version().feature() < 21;
        assertEquals(expected, LaunchMechanism.preferVfork());
        assertEquals(expected ? "VFORK" : null, System.getProperty(LaunchMechanism.PROPERTY));
        if (expected) {
            assertTrue(LaunchMechanism.preferVfork() == false, "second call: already set");
        }
    }
}
