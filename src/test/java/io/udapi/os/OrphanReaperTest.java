package io.udapi.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes: the test JVM becomes a child subreaper, as udapi does. Only processes this test
 * starts are ever listed (the JVM-wide reaper lists the leader thread's children, which in a test JVM are
 * only orphans; the fallback test hands its own list in).
 */
class OrphanReaperTest {
    private static final Duration BUDGET = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @BeforeAll
    static void subreaper() {
        assumeTrue(Posix.available(), "Linux only: " + Posix.unavailableReason());
        assertTrue(ProcessHardening.apply(true).childSubreaper(), "the test JVM is a child subreaper");
    }

    @Test
    void sweepWhenADoubleForkedProcessWasAdoptedThenKillsAndReapsIt() throws Exception {
        Path pidFile = dir.resolve("daemon.pid");
        Process parent = new ProcessBuilder("/bin/sh", "-c", "( sleep 300 & echo $! > '" + pidFile + "' )").start();
        assertEquals(0, parent.waitFor());
        long daemon = Long.parseLong(Files.readString(pidFile).trim());
        assertEquals(ProcessHandle.current().pid(), ProcStat.read(daemon).orElseThrow().ppid(), "adopted by the JVM");

        assertTrue(OrphanReaper.jvm().sweep(BUDGET) >= 1);

        assertTrue(ProcStat.read(daemon).isEmpty(), "killed and reaped: no /proc entry, not even a zombie");
    }

    @Test
    void sweepWhenAnAdoptedProcessHasChildrenThenTheWholeTreeGoes() throws Exception {
        Path pidFile = dir.resolve("pids");
        Path tree = dir.resolve("tree.sh");
        // the adopted shell has two children of its own; they are adopted in turn when it is killed
        Files.writeString(tree, "sleep 301 & a=$!\nsleep 302 & echo $$ $a $! > '" + pidFile + "'\nwait\n");
        Process parent = new ProcessBuilder("/bin/sh", "-c", "( /bin/sh '" + tree + "' & )").start();
        assertEquals(0, parent.waitFor());
        List<Long> pids = awaitPids(pidFile, 3);

        OrphanReaper.jvm().sweep(BUDGET);

        for (long pid : pids) {
            assertTrue(ProcStat.read(pid).isEmpty(), "process " + pid + " is gone");
        }
    }

    @Test
    void sweepWhenAnAdoptedProcessAlreadyExitedThenReapsTheZombie() throws Exception {
        Path pidFile = dir.resolve("short.pid");
        Path done = dir.resolve("done");
        Process parent = new ProcessBuilder("/bin/sh", "-c", "( sh -c 'touch \"$0\"' '" + done + "' & echo $! > '" + pidFile + "' )")
                .start();
        assertEquals(0, parent.waitFor());
        long child = Long.parseLong(Files.readString(pidFile).trim());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ProcStat.read(child).map(ProcStat::zombie).orElse(true) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        OrphanReaper.jvm().sweep(BUDGET);

        assertTrue(ProcStat.read(child).isEmpty(), "the zombie was reaped");
    }

    @Test
    void sweepNeverTouchesAManagedProcessSoItsExitCodeStands() throws Exception {
        // Listed as a child (what the /proc scan of the fallback sees), yet managed: the JDK reaps it.
        List<Long> listed = new ArrayList<>();
        OrphanReaper reaper = new OrphanReaper(ProcessHandle.current().pid(), () -> List.copyOf(listed));
        Path release = dir.resolve("release");
        Process managed = reaper.start(new ProcessBuilder("/bin/sh", "-c",
                "while [ ! -e '" + release + "' ]; do sleep 0.01; done; exit 3"), () -> { });
        listed.add(managed.pid());
        assertEquals(1, reaper.managedCount());

        assertEquals(0, reaper.sweep(BUDGET));
        assertTrue(managed.isAlive(), "not killed");
        Files.createFile(release);
        assertTrue(managed.waitFor(10, TimeUnit.SECONDS));
        reaper.sweep(BUDGET);

        assertEquals(3, managed.exitValue(), "the JDK read the real exit status");
    }

    @Test
    void startWhenTheProcessHasExitedThenItIsNoLongerManaged() throws Exception {
        OrphanReaper reaper = new OrphanReaper(ProcessHandle.current().pid(), List::of);
        boolean[] ran = {false};
        Process p = reaper.start(new ProcessBuilder("/bin/true"), () -> ran[0] = true);
        assertEquals(0, p.waitFor());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((reaper.managedCount() != 0 || !ran[0]) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, reaper.managedCount());
        assertTrue(ran[0], "the exit callback ran");
    }

    @Test
    void aChildOfAThreadThatEndedCountsAsAdoptedWhileAChildOfALiveThreadDoesNot() throws Exception {
        assertTrue(Files.exists(Path.of("/proc/self/task/" + ProcessHandle.current().pid() + "/children")),
                "this kernel lists children per thread (CONFIG_PROC_CHILDREN)");
        Process[] ofEndedThread = new Process[1];
        Thread shortLived = new Thread(() -> {
            try {
                ofEndedThread[0] = new ProcessBuilder("sleep", "303").start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        shortLived.start();
        shortLived.join();
        Process ofLiveThread = InfrastructureProcesses.start(new ProcessBuilder("sleep", "304"));
        try {
            // join() returns when the thread has released its memory, a step of the kernel's exit that comes
            // before it hands the thread's children to the leader, so the move is awaited. A sweep of an
            // application still running in this JVM may kill the child meanwhile, and a sweep kills only
            // adopted processes (a `sleep 303` does not end by itself), so gone counts as adopted too.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean adoptedOrSwept;
            do {
                adoptedOrSwept = OrphanReaper.jvm().adopted().stream().anyMatch(p -> p.pid() == ofEndedThread[0].pid())
                        || !ofEndedThread[0].isAlive();
            } while (!adoptedOrSwept && System.nanoTime() - deadline < 0);

            assertTrue(adoptedOrSwept, "Linux moved the ended thread's child to the leader: unmanaged, it would be swept");
            List<Long> adopted = OrphanReaper.jvm().adopted().stream().map(ProcStat::pid).toList();
            assertFalse(adopted.contains(ofLiveThread.pid()), "the launcher thread lives, so its child stays its own");
        } finally {
            ofEndedThread[0].destroyForcibly().waitFor();
            ofLiveThread.destroyForcibly().waitFor();
        }
    }

    @Test
    void sweepWhenNothingWasAdoptedThenDoesNothing() {
        OrphanReaper reaper = new OrphanReaper(ProcessHandle.current().pid(), List::of);
        assertEquals(0, reaper.sweep(BUDGET));
        assertFalse(reaper.adopted().iterator().hasNext());
    }

    private static List<Long> awaitPids(Path file, int count) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String[] parts = Files.readString(file).trim().split("\\s+");
                if (parts.length == count) {
                    List<Long> pids = new ArrayList<>();
                    for (String s : parts) {
                        pids.add(Long.parseLong(s));
                    }
                    return pids;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no " + count + " pids in " + file);
    }
}
