package io.udapi.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * docs/security.md, "Script isolation", in process: scripts that leave processes behind, and the state of
 * those processes at the moment the result arrives (not later: the guarantee is for the end of the run).
 * Each leftover writes its pid to a file; "gone" means no {@code /proc/<pid>} at all, so not a zombie.
 */
@EnabledOnOs(OS.LINUX)
class ProcessScriptEngineLeftoversTest extends ScriptsDirFixture {
    private static final byte[] INPUT = "{}".getBytes(StandardCharsets.UTF_8);
    private static final String OK = "printf '{\"responseCode\":200}'";

    /** The fixture's script, reading its input first as a real trigger script does. */
    @Override
    Path script(String name, String body) throws IOException {
        return super.script(name, "cat > /dev/null\n" + body);
    }

    private void engine(Duration timeout) {
        engine(timeout, 4, 10, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
    }

    /** Shell text that starts {@code command} in the background and appends its pid to {@code file}. */
    private static String recorded(String command, Path file) {
        return command + " & echo $! >> '" + file + "'";
    }

    @Test
    void whenScriptDaemonisesWithADoubleForkThenTheDaemonIsGoneWhenTheRunEnds() throws Exception {
        Path pids = root.resolve("pids");
        script("double", "( " + recorded("sleep 301 > /dev/null 2>&1", pids) + " )\n" + OK);

        assertInstanceOf(ScriptResult.Responded.class, result(engine.onApiTrigger("double", INPUT)));

        assertGone(pids, 1);
    }

    @Test
    void whenScriptStartsASetsidDaemonThenItIsGoneWhenTheRunEnds() throws Exception {
        Path pids = root.resolve("pids");
        script("setsid", recorded("setsid sleep 302 > /dev/null 2>&1", pids) + "\n" + OK);

        assertInstanceOf(ScriptResult.Responded.class, result(engine.onApiTrigger("setsid", INPUT)));

        assertGone(pids, 1);
    }

    @Test
    void whenALeftoverHoldsStdoutOpenThenTheRunAnswersWhenTheScriptExitsNotAtTheTimeout() throws Exception {
        Path pids = root.resolve("pids");
        // the daemon inherits stdout: before, the worker read until the timeout killed nothing useful
        script("holder", OK + "\n( " + recorded("sleep 303", pids) + " )");
        long start = System.nanoTime();

        assertInstanceOf(ScriptResult.Responded.class, result(engine.onApiTrigger("holder", INPUT)));

        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "answered long before the 20 s timeout");
        assertGone(pids, 1);
    }

    @Test
    void whenScriptExitsNonZeroAfterLeavingADaemonThenTheFailureStandsAndTheDaemonIsGone() throws Exception {
        Path pids = root.resolve("pids");
        script("fails", "( " + recorded("sleep 304 > /dev/null 2>&1", pids) + " )\n" + OK + "\nexit 3");

        // the exit status is the JDK's to read: a reaper that took it would turn this into a success
        assertEquals(new ScriptResult.Failed("Script 'fails' exited with code 3."), result(engine.onApiTrigger("fails", INPUT)));

        assertGone(pids, 1);
    }

    @Test
    void whenRunScriptLeavesADaemonThenItIsGoneWhenTheRunEnds() throws Exception {
        Path pids = root.resolve("pids");
        script("job", "( " + recorded("setsid sleep 305", pids) + " )");

        assertEquals(new ScriptResult.Completed(), result(engine.run("job", Map.of())));

        assertGone(pids, 1);
    }

    @Test
    void whenTheRunTimesOutThenItsChildrenAndDaemonsAreGoneBeforeTheAnswer() throws Exception {
        engine(Duration.ofMillis(1500));
        Path pids = root.resolve("pids");
        script("slow", "( " + recorded("sleep 306 > /dev/null 2>&1", pids) + " )\n"
                + recorded("setsid sleep 307", pids) + "\n" + recorded("sleep 308", pids) + "\nwait");

        assertEquals(new ScriptResult.TimedOut(Duration.ofMillis(1500)), result(engine.onApiTrigger("slow", INPUT)));

        assertGone(pids, 3);
    }

    @Test
    void whenSeveralRunsLeaveDaemonsConcurrentlyThenAllAreGoneOnceAllRunsEnded() throws Exception {
        Path pids = root.resolve("pids");
        script("double", "( " + recorded("sleep 309 > /dev/null 2>&1", pids) + " )\n" + OK);
        script("setsid", recorded("setsid sleep 310 > /dev/null 2>&1", pids) + "\n" + OK);
        script("fails", "( " + recorded("sleep 311", pids) + " )\nexit 4");
        List<CompletionStage<ScriptResult>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(engine.onApiTrigger("double", INPUT));
            runs.add(engine.onApiTrigger("setsid", INPUT));
            runs.add(engine.onApiTrigger("fails", INPUT));
        }
        for (int i = 0; i < runs.size(); i++) {
            ScriptResult r = result(runs.get(i));
            if (i % 3 == 2) {
                assertEquals(new ScriptResult.Failed("Script 'fails' exited with code 4."), r);
            } else {
                assertInstanceOf(ScriptResult.Responded.class, r);
            }
        }

        assertGone(pids, 12);
        assertEquals(List.of(), zombieChildren(), "zombie children of the JVM");
    }

    @Test
    void whenTheEngineClosesWhileScriptsRunThenTheirTreesAndDaemonsAreGone() throws Exception {
        engine(Duration.ofSeconds(2));
        Path pids = root.resolve("pids");
        Path started = root.resolve("started");
        script("long", recorded("setsid sleep 312", pids) + "\n( " + recorded("sleep 313 > /dev/null 2>&1", pids)
                + " )\ntouch '" + started + "'\nsleep 30");
        CompletionStage<ScriptResult> run = engine.onApiTrigger("long", INPUT);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(started) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        engine.close();

        assertInstanceOf(ScriptResult.TimedOut.class, result(run));
        assertGone(pids, 2);
    }

    /**
     * A run with most of its timeout still ahead does not hold the shutdown up: the engine closes after Quarkus's
     * drain, so it gives such a run {@link ProcessScriptEngine#CLOSE_GRACE}, then kills it and what it started
     * (docs/operations.md, "Shutdown"). With the run's own deadline (120 s here) the close took that long.
     */
    @Test
    void whenTheEngineClosesWhileARunHasMoreThanTheCloseGraceToGoThenItIsKilledAtTheGrace() throws Exception {
        engine(Duration.ofSeconds(120));
        Path pids = root.resolve("pids");
        Path started = root.resolve("started");
        script("long", recorded("sleep 314", pids) + "\ntouch '" + started + "'\nsleep 100");
        CompletionStage<ScriptResult> run = engine.onApiTrigger("long", INPUT);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(started));

        long t0 = System.nanoTime();
        engine.close();
        long closedIn = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);

        assertTrue(closedIn < ProcessScriptEngine.CLOSE_GRACE.toSeconds() + 10, "close took " + closedIn + " s");
        ScriptResult result = result(run);
        assertTrue(!(result instanceof ScriptResult.Responded), "the killed run answered " + result);
        assertGone(pids, 1);
    }

    /** The file lists {@code count} pids, and none of them exists any more, zombie or not. */
    private static void assertGone(Path pidFile, int count) throws IOException {
        List<Long> pids = Files.readAllLines(pidFile).stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(Long::parseLong).toList();
        assertEquals(count, pids.size(), "pids recorded: " + pids);
        for (long pid : pids) {
            assertTrue(Files.notExists(Path.of("/proc", Long.toString(pid))), "process " + pid + " still exists: "
                    + stat(pid));
        }
    }

    private static String stat(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException gone) {
            return "(gone meanwhile)";
        }
    }

    private static List<String> zombieChildren() throws IOException {
        String self = Long.toString(ProcessHandle.current().pid());
        List<String> zombies = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path p : entries.filter(e -> e.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (after[0].equals("Z") && after[1].equals(self)) {
                        zombies.add(stat);
                    }
                } catch (IOException gone) {
                    // exited while listed
                }
            }
        }
        return zombies;
    }
}
