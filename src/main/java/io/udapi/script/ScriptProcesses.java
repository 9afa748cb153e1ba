package io.udapi.script;

import io.udapi.limit.NanoClock;
import io.udapi.os.OrphanReaper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The child processes of the process engine and what keeps them in check (docs/scripts.md, "The process
 * engine"; the rules are in {@link ProcessScriptEngine}'s class comment): starting one in a clean environment,
 * killing a process tree, waiting for an exit, and sweeping what scripts leave behind through the
 * {@link OrphanReaper}. Also the helper threads every run shares: pipe pumps, the deadline timer, and the one
 * reaper thread.
 *
 * <p>Thread-safe. {@link #sweep} blocks (bounded by {@link #SWEEP_BUDGET}); {@link #sweepSoon} hands a sweep to
 * the reaper thread and returns. Nothing here throws for a process that is already gone.
 */
final class ScriptProcesses {
    private static final Logger LOG = Logger.getLogger(ScriptProcesses.class);

    /** How long a killed script's process may take to exit before the run's clean-up goes on without it. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);
    /** Longest a sweep waits for killed leftovers to exit. */
    private static final Duration SWEEP_BUDGET = Duration.ofSeconds(2);
    /** Period of the sweep that runs without a run ending. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);

    private final Path dir;
    private final NanoClock clock;
    private final OrphanReaper reaper;
    private final ScriptSandbox sandbox;
    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    /** Pumps large stdin and stderr: at most two per run, plus those stuck on pipes held by escaped processes. */
    final ExecutorService pumps;
    /** Kills process trees at their deadline. */
    final ScheduledExecutorService timer;
    /** One thread: sweeps after a script's exit, after a timeout kill, and every {@link #SWEEP_INTERVAL}. */
    final ScheduledExecutorService sweeper;

    ScriptProcesses(Path dir, NanoClock clock, ScriptSandbox sandbox) {
        this.dir = dir;
        this.clock = clock;
        this.sandbox = sandbox;
        this.reaper = OrphanReaper.jvm();
        this.pumps = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemon("udapi-script-pipe-"));
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemon("udapi-script-timer-"));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        this.sweeper = new ScheduledThreadPoolExecutor(1, daemon("udapi-script-reaper-"));
        if (reaper.active()) {
            every(SWEEP_INTERVAL, this::sweep);
        }
    }

    /** Runs {@code task} on the reaper thread every {@code period}, first after one period. */
    void every(Duration period, Runnable task) {
        sweeper.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts {@code path} with an argv of one element (no shell) in the scripts directory, with only
     * {@link ProcessScriptEngine#INHERITED_ENV} of udapi's environment plus the entry point, the script's name and
     * the request id when there is one ({@code requestId} null: none).
     * {@code onExit} runs when the process exits. The process counts as live until {@link #forget}. The
     * process is started by a confined launcher thread of its own (a Landlock domain of its own).
     */
    Process start(String name, Path path, String entryPoint, String requestId, Runnable onExit) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of(path.toString())).directory(dir.toFile());
        pb.environment().keySet().retainAll(ProcessScriptEngine.INHERITED_ENV);
        pb.environment().put(ProcessScriptEngine.ENTRY_POINT_ENV, entryPoint);
        pb.environment().put(ProcessScriptEngine.SCRIPT_NAME_ENV, name);
        if (requestId != null) {
            pb.environment().put(ProcessScriptEngine.REQUEST_ID_ENV, requestId);
        }
        Process process = sandbox.start(() -> reaper.start(pb, onExit));
        live.add(process);
        return process;
    }

    /** The process's run is over: {@link #close} need not kill it. */
    void forget(Process process) {
        live.remove(process);
    }

    /** Kills and reaps every adopted leftover now (see the engine's class comment); never throws. */
    void sweep() {
        try {
            reaper.sweep(SWEEP_BUDGET);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Sweeping processes left behind by scripts failed");
        }
    }

    /** A sweep on the reaper thread, as soon as it is free. */
    void sweepSoon() {
        try {
            sweeper.execute(this::sweep);
        } catch (RejectedExecutionException closing) {
            // close() sweeps last
        }
    }

    /** Waits (bounded) for a process that exited or was killed; the JDK reaps it meanwhile. */
    void awaitExit(Process process) {
        boolean interrupted = false;
        long deadline = clock.nanoTime() + EXIT_GRACE.toNanos();
        while (process.isAlive()) {
            long left = deadline - clock.nanoTime();
            if (left <= 0) {
                LOG.warnf("Script process %d has not exited %d ms after SIGKILL", process.pid(), EXIT_GRACE.toMillis());
                break;
            }
            try {
                process.waitFor(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true; // shutting down: the wait is bounded and the clean-up still needed
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills the process and every descendant it has now (snapshot taken while it still owns them; the JDK
     * checks each one's start time, so a reused pid is spared). What forks in between is adopted when its
     * parent dies and goes with the next sweep.
     */
    static void killTree(Process process) {
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * As {@link #killTree}, by signal only: {@code Process.destroyForcibly} also closes the process's pipes, which
     * throws away what a worker wrote to stderr before it died and its stderr thread has not read yet (the count
     * of lines left out of the log among it, docs/workers.md "Stderr"). The JDK closes the pipes itself once the
     * process is reaped, after keeping what was left in them.
     */
    static void signalTree(Process process) {
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        process.toHandle().destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /** After the last run: kills what is still live, sweeps a last time and stops the helper threads. */
    void close() {
        live.forEach(ScriptProcesses::killTree);
        live.forEach(this::awaitExit);
        sweeper.shutdownNow();
        sweep(); // the last runs' leftovers: once udapi exits they would be init's
        timer.shutdownNow();
        pumps.shutdownNow();
        sandbox.close();
    }

    static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
