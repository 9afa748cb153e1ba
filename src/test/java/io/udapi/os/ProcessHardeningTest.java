package io.udapi.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessHardeningTest {

    @Test
    void applyOnLinuxMakesTheJvmNonDumpableAndAChildSubreaper() throws Exception {
        assumeTrue(Posix.available(), "Linux only: " + Posix.unavailableReason());
        ProcessHardening.State state = ProcessHardening.apply(true);
        assertTrue(state.nonDumpable());
        assertTrue(state.childSubreaper());
        assertFalse(ProcessHardening.kernelSaysDumpable());
        // the JVM itself still reads its own /proc (the JDK and Micrometer do)
        assertTrue(Files.readString(Path.of("/proc/self/status")).contains("Pid:"));
    }

    @Test
    void applyAgainChangesNothingAndAnswersTheSameState() {
        assumeTrue(Posix.available(), "Linux only: " + Posix.unavailableReason());
        ProcessHardening.State first = ProcessHardening.apply(true);
        assertEquals(first, ProcessHardening.apply(false));
        assertEquals(first, ProcessHardening.state());
    }
}
