package io.udapi.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.config.UdapiConfig.SandboxMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md, "What a confined script can still do": script processes, and what they start, run at a
 * lower scheduling priority than udapi and are the kernel's first choice when memory runs out, while udapi's
 * own threads keep their values. Real {@code sh} processes; the values are read from {@code /proc}.
 */
class ScriptPriorityTest {

    /** Field 19 of {@code stat} is the nice value; the command names here have no spaces. */
    private static final String NICE_OF_SELF = "cut -d' ' -f19 /proc/self/stat";
    /** The shell's own value without forking (a {@code cat} would be a child forked before the write). */
    private static final String OOM_OF_SHELL = "read v < /proc/$$/oom_score_adj";

    private static String run(ScriptSandbox sandbox, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(dir().toFile()).redirectErrorStream(true);
        Process p = sandbox.start(pb::start);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.strip();
    }

    private static Path dir() throws java.io.IOException {
        return Files.createDirectories(Path.of("target/tmp")).toAbsolutePath();
    }

    private static ScriptSandbox sandbox(SandboxMode mode, ScriptPriority priority) throws java.io.IOException {
        return ScriptSandbox.of(mode, dir(), ScriptSandbox.DEFAULT_READ, List.of(Path.of("/dev")), Optional.empty(), priority, false);
    }

    private static int niceOfThisThread() throws Exception {
        return Integer.parseInt(Files.readString(Path.of("/proc/thread-self/stat")).split(" ")[18]);
    }

    @ParameterizedTest
    @EnumSource(value = SandboxMode.class, names = {"auto", "off"})
    void aScriptAndItsGrandchildRunThatManyStepsBelowUdapiWhileTheCallersThreadKeepsItsPriority(SandboxMode mode) throws Exception {
        int before = niceOfThisThread();
        // prints its own nice value, then has a child shell print that of its child
        Path report = Files.writeString(Files.createTempFile(dir(), "report-nice-", ".sh"),
                NICE_OF_SELF + "\n[ \"$1\" = child ] || sh \"$0\" child\n");
        try (ScriptSandbox sandbox = sandbox(mode, new ScriptPriority(7, 0))) {
            String expected = Integer.toString(Math.min(19, before + 7));
            assertEquals(expected + "\n" + expected, run(sandbox, "sh " + report), "udapi's thread at nice " + before);
        }
        assertEquals(before, niceOfThisThread(), "the thread that asked for the process");
    }

    @Test
    void withUdapisOwnPriorityTheScriptRunsAtUdapisNiceValueAndOomScore() throws Exception {
        String nice = Integer.toString(niceOfThisThread());
        String oom = Files.readString(Path.of("/proc/self/oom_score_adj")).strip();
        try (ScriptSandbox sandbox = sandbox(SandboxMode.off, ScriptPriority.SAME_AS_UDAPI)) {
            assertEquals(nice + "\n" + oom, run(sandbox, NICE_OF_SELF + "; " + OOM_OF_SHELL + "; echo $v"));
        }
    }

    /**
     * The score is written just after the start (see {@link ScriptPriority}): the script waits for it (up to
     * 10 s, polling its own value without forking), then a child it starts reports the inherited value.
     */
    @ParameterizedTest
    @EnumSource(value = SandboxMode.class, names = {"auto", "off"})
    void theOomScoreOfAScriptIsRaisedAtItsStartAndItsChildrenInheritItWhileUdapisStays(SandboxMode mode) throws Exception {
        String udapis = Files.readString(Path.of("/proc/self/oom_score_adj")).strip();
        try (ScriptSandbox sandbox = sandbox(mode, ScriptPriority.DEFAULT)) {
            String out = run(sandbox, "i=0; " + OOM_OF_SHELL + "; while [ \"$v\" != 1000 ] && [ $i -lt 1000 ]; do sleep 0.01; "
                    + "i=$((i+1)); " + OOM_OF_SHELL + "; done; echo $v; sh -c 'cat /proc/self/oom_score_adj'");
            assertEquals("1000\n1000", out);
        }
        assertEquals(udapis, Files.readString(Path.of("/proc/self/oom_score_adj")).strip(), "udapi's own score");
    }

    @Test
    void aNiceValueOrOomScoreOutsideWhatAnUnprivilegedProcessMaySetIsRefusedWithTheSetting() {
        assertEquals("udapi.scripts.priority.nice must be 0..19 (steps below udapi's priority; a script above udapi's "
                + "would need privilege): -1", assertThrows(IllegalArgumentException.class, () -> new ScriptPriority(-1, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScriptPriority(20, 0));
        assertEquals("udapi.scripts.priority.oom-score-adj must be 0..1000 (a negative value needs privilege): -1",
                assertThrows(IllegalArgumentException.class, () -> new ScriptPriority(0, -1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScriptPriority(0, 1001));
        assertEquals(new ScriptPriority(10, 1000), ScriptPriority.DEFAULT);
    }
}
