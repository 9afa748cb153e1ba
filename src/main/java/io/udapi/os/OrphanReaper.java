package io.udapi.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Kills and reaps the processes this JVM has <em>adopted</em>: descendants whose parent died (a script's
 * double fork, a {@code setsid} daemon, the children of a killed script), which the kernel hands to the
 * nearest child subreaper ({@link ProcessHardening}), i.e. to udapi. One instance per JVM ({@link #jvm()}).
 *
 * <h2>Which children are adopted</h2>
 * udapi's children are of two kinds, and only one may be touched here:
 * <ul>
 *   <li><b>Managed</b>: started through {@link #start} as a {@link Process}. The JDK's reaper thread waits
 *       for exactly these pids; if anything else reaped one, the JDK would read {@code ECHILD} and report
 *       exit code 0, so a failed script would look successful. They are never killed or reaped here.</li>
 *   <li><b>Adopted</b>: every other child. Nobody else waits for them; unreaped they stay zombies for
 *       the JVM's lifetime (and when udapi is PID 1 nothing else ever will).</li>
 * </ul>
 * The list comes from {@code /proc/<pid>/task/<pid>/children}: a child belongs to the thread that
 * forked it, and the kernel gives adopted processes to the first live thread of the subreaper, which
 * is the thread-group leader. In a JVM the leader is the launcher's primordial thread, which starts no
 * process, so that one file lists the adopted children, plus the children of every thread that has ended:
 * Linux hands those to the first live thread too. Processes udapi starts are all managed, so the managed set
 * excludes them wherever they are listed; anything else a JVM hosting udapi starts (a test's Elasticsearch)
 * must be started from a thread that lives as long as the JVM, or it is swept as an orphan once its thread
 * ends. Without that file (a kernel without
 * {@code CONFIG_PROC_CHILDREN}) every child from {@link ProcessHandle#children()} minus the managed set
 * is adopted; {@link #start} holds a shared lock while the JDK forks and registers a pid, and the
 * listing takes it exclusively, so a script just forked can never be mistaken for an orphan.
 *
 * <h2>Sweep</h2>
 * {@link #sweep} sends SIGKILL to every adopted process, reaps it ({@code waitpid(pid, WNOHANG)}, that pid
 * only: never {@code waitpid(-1)}, which could take a managed child), and lists again, because a killed
 * process's own children are adopted the moment it dies; it stops when nothing adopted is left. One
 * sweep at a time: since only a sweep reaps adopted pids, a pid it listed cannot exit, be reaped and be
 * reused by an unrelated process before it is signalled. A process that does not exit within the budget
 * (uninterruptible sleep, or another uid that ignores our signal) is logged once and, in later sweeps,
 * signalled and tried again but no longer waited for, so it cannot slow every run down.
 *
 * <p>The reaper attributes nothing to runs: a process that left its run's tree has lost every link to
 * it that a same-uid process could not forge (parent, session, group and environment are all its own to
 * change), so every adopted process is a leftover, whatever run it came from.
 *
 * <p>Thread-safe. Blocking (at most the budget): call it from worker threads, never an event loop.
 */
public final class OrphanReaper {
    private static final Logger LOG = Logger.getLogger(OrphanReaper.class);
    private static final OrphanReaper JVM = new OrphanReaper(ProcessHandle.current().pid());
    private static final int LOGGED_NAMES = 8;

    private final long self;
    private final Path leaderChildren;
    private final Set<Long> managed = ConcurrentHashMap.newKeySet();
    private final ReentrantReadWriteLock launches = new ReentrantReadWriteLock();
    private final Object sweeping = new Object();
    /** Signalled at least once without exiting within a sweep's budget; guarded by {@link #sweeping}. */
    private final Set<Long> stubborn = new HashSet<>();

    private final Supplier<List<Long>> children;

    OrphanReaper(long self) {
        this.self = self;
        this.leaderChildren = Path.of("/proc", Long.toString(self), "task", Long.toString(self), "children");
        this.children = this::children;
    }

    /** For tests: {@code children} stands for the kernel's list of this JVM's children. */
    OrphanReaper(long self, Supplier<List<Long>> children) {
        this.self = self;
        this.leaderChildren = null;
        this.children = children;
    }

    /** The reaper of this JVM. */
    public static OrphanReaper jvm() {
        return JVM;
    }

    /** Whether sweeps can do anything here (Linux, JNA bound). */
    public boolean active() {
        return Posix.available();
    }

    /**
     * Starts {@code builder} as a managed process: this reaper never touches its pid, until the JDK has
     * reaped it. {@code onExit} runs after that, on a JDK thread: it must not block.
     */
    public Process start(ProcessBuilder builder, Runnable onExit) throws IOException {
        Process process;
        launches.readLock().lock();
        try {
            process = builder.start();
            managed.add(process.pid());
        } finally {
            launches.readLock().unlock();
        }
        long pid = process.pid();
        // onExit completes once the JDK has reaped the pid (its waitFor returns): only then may the number
        // be forgotten, and a process that reuses it later is someone's orphan again.
        process.onExit().whenComplete((p, e) -> {
            managed.remove(pid);
            onExit.run();
        });
        return process;
    }

    /** Pids started through {@link #start} that the JDK has not reaped yet. */
    public int managedCount() {
        return managed.size();
    }

    /**
     * Kills and reaps every adopted process, again and again until none is left (see the class comment).
     *
     * @param budget how long to wait for killed processes to exit, in total
     * @return how many processes were reaped (killed or already exited)
     */
    public int sweep(Duration budget) {
        if (!Posix.available()) {
            return 0;
        }
        // An interrupted caller (a worker at shutdown) still sweeps: parking would return at once and spin.
        boolean interrupted = Thread.interrupted();
        try {
            return sweepUntil(System.nanoTime() + budget.toNanos());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private int sweepUntil(long deadline) {
        synchronized (sweeping) {
            int reaped = 0;
            List<String> names = new ArrayList<>();
            boolean progress;
            do {
                progress = false;
                List<ProcStat> adopted = adopted();
                stubborn.retainAll(adopted.stream().map(ProcStat::pid).toList());
                for (ProcStat p : adopted) {
                    if (!p.zombie()) {
                        Posix.kill(p.pid(), Posix.SIGKILL);
                    }
                }
                for (ProcStat p : adopted) {
                    boolean wasStubborn = stubborn.contains(p.pid());
                    if (awaitReaped(p.pid(), wasStubborn ? System.nanoTime() : deadline)) {
                        stubborn.remove(p.pid());
                        reaped++;
                        progress = true;
                        if (names.size() < LOGGED_NAMES) {
                            names.add(p.pid() + " (" + p.comm() + ")");
                        }
                    } else if (!wasStubborn) {
                        stubborn.add(p.pid());
                        LOG.warnf("process %d (%s), left behind by a script, has not exited after SIGKILL; "
                                + "it is signalled again at every sweep", p.pid(), p.comm());
                    }
                }
            } while (progress && System.nanoTime() - deadline < 0);
            if (reaped > 0) {
                LOG.infof("removed %d process(es) that scripts left behind: %s%s", reaped, String.join(", ", names),
                        reaped > names.size() ? ", ..." : "");
            }
            return reaped;
        }
    }

    /** Adopted children now: never a managed pid, never one whose parent is not this JVM any more. */
    List<ProcStat> adopted() {
        List<Long> candidates;
        launches.writeLock().lock();
        try {
            candidates = new ArrayList<>(children.get());
            candidates.removeIf(managed::contains);
        } finally {
            launches.writeLock().unlock();
        }
        List<ProcStat> adopted = new ArrayList<>(candidates.size());
        for (long pid : candidates) {
            Optional<ProcStat> stat = ProcStat.read(pid);
            if (stat.isPresent() && stat.get().ppid() == self) {
                adopted.add(stat.get());
            }
        }
        return adopted;
    }

    private List<Long> children() {
        try {
            return ProcStat.parseChildren(Files.readString(leaderChildren, StandardCharsets.US_ASCII));
        } catch (IOException | NumberFormatException e) {
            // no CONFIG_PROC_CHILDREN: every child, found by scanning /proc (slower, same answer minus managed)
            return ProcessHandle.current().children().map(ProcessHandle::pid).toList();
        }
    }

    /** Polls {@code waitpid(pid, WNOHANG)} until it reaps the pid or the deadline passes. */
    private static boolean awaitReaped(long pid, long deadline) {
        long pause = 50_000;
        while (true) {
            long r = Posix.reapIfExited(pid);
            if (r == pid || r < 0) {
                return true; // reaped, or no longer our child (ECHILD): gone from our list either way
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(pause);
            Thread.interrupted(); // cleared so that the next park waits; sweep() restores the flag
            pause = Math.min(pause * 2, 5_000_000);
        }
    }
}
