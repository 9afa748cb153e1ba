package io.udapi.script;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.udapi.os.OrphanReaper;
import io.udapi.os.ProcessHardening;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The embedded engine (SPEC 2.4 "process"): a script is an executable file of the scripts directory,
 * started with an argv of one element (no shell), in a clean environment.
 *
 * <p>Threads: callers only enqueue. A fixed pool of {@code maxConcurrency} workers with a queue of
 * {@code maxQueue} runs (full: {@link ScriptResult.Busy}) spawns the process, writes stdin, reads stdout
 * (bounded) and waits. Stdin larger than a pipe buffer and stderr are pumped by helper threads; a timer
 * thread kills the process tree at the deadline; a reaper thread sweeps leftovers (below). Results are
 * delivered on the caller's Vert.x context.
 *
 * <h2>Nothing outlives a run (SPEC 2.4)</h2>
 * A run is the life of the script's process. When it ends (exit, non-zero exit, output too large,
 * timeout, shutdown) every process it started is gone and reaped before the result is delivered:
 * <ol>
 *   <li>The JVM is a child subreaper ({@link ProcessHardening}), so a descendant whose parent dies (a
 *       double fork, a {@code setsid} daemon, the children of the killed script) is adopted by udapi
 *       instead of init: it can leave the script's tree but never udapi's.</li>
 *   <li>When the script's process exits, or is killed with its descendants at the deadline, everything
 *       it left is by then adopted; {@link OrphanReaper#sweep} kills and reaps adopted processes until
 *       none is left. The worker sweeps before it completes the result, the timer's kill before it
 *       answers {@link ScriptResult.TimedOut}, {@link #close()} after the last run.</li>
 *   <li>A leftover that still holds the script's stdout or stderr would keep the worker reading after
 *       the script has exited; the exit of the script's process therefore also triggers a sweep at once
 *       on the reaper thread, which closes those pipes. Every {@link #SWEEP_INTERVAL} a sweep also runs
 *       on its own, for what died unattended.</li>
 * </ol>
 * Why not a process group or session per script, killed as a whole: the JDK has no hook between fork and
 * exec, so it would take a {@code setsid} wrapper, an extra {@code exec} per run (about +0.5 ms per spawn
 * measured from a shell here, where the VFORK launch is what {@link LaunchMechanism} buys) that minimal
 * images may not even ship; and a group is no boundary anyway, since a process may leave it with
 * {@code setsid}. The subreaper is a boundary a process cannot leave.
 *
 * <p><b>Concurrent runs.</b> An adopted process has lost every link to its run that a process of the same
 * uid could not forge, so sweeps do not attribute: the end of any run removes every adopted process,
 * including one that a still-running script detached a moment ago. Processes still in a running
 * script's tree (its children and their descendants, even in a new session) are never touched until that
 * run ends. A script must therefore not rely on a detached helper outliving its own parent.
 */
public final class ProcessScriptEngine implements ScriptEngine {
    private static final Logger LOG = Logger.getLogger(ProcessScriptEngine.class);

    /** Environment variable naming the contract: {@code OnApiTrigger} or {@code Run}. */
    public static final String ENTRY_POINT_ENV = "UDAPI_ENTRY_POINT";
    /** {@link #ENTRY_POINT_ENV} of a worker process, which serves both entry points line by line. */
    public static final String WORKER_ENTRY_POINT = "Worker";
    /** Environment variable with the script's name. */
    public static final String SCRIPT_NAME_ENV = "UDAPI_SCRIPT_NAME";
    /**
     * The only variables scripts inherit from udapi's environment: udapi's own holds the pepper, the
     * admin password and store credentials, which scripts must never see.
     */
    public static final Set<String> INHERITED_ENV = Set.of("PATH", "HOME", "LANG", "LANGUAGE", "LC_ALL",
            "LC_CTYPE", "TZ", "TMPDIR", "USER", "LOGNAME");

    static final int STDERR_TAIL_BYTES = 4096;
    /** Stdin this size or smaller fits an empty pipe (PIPE_BUF) and is written by the worker itself. */
    private static final int INLINE_STDIN_BYTES = 4096;
    private static final Duration PUMP_GRACE = Duration.ofSeconds(1);
    /** How long a killed script's process may take to exit before the run's clean-up goes on without it. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);
    /** Longest a sweep waits for killed leftovers to exit. */
    private static final Duration SWEEP_BUDGET = Duration.ofSeconds(2);
    /** Period of the sweep that runs without a run ending. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);

    private final Path dir;
    private final ScriptDirectory scripts;
    private final ScriptLimits limits;
    private final ScriptOutputParser parser;
    private final ThreadPoolExecutor workers;
    private final ExecutorService pumps;
    private final ScheduledExecutorService timer;
    /** One thread: sweeps after a script's exit, after a timeout kill, and every {@link #SWEEP_INTERVAL}. */
    private final ScheduledExecutorService sweeper;
    private final OrphanReaper reaper;
    private final ObjectMapper json = new ObjectMapper();
    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong peakBufferedStdout = new AtomicLong();
    /** Worker scripts with running processes, by script name (docs/workers.md). */
    private final Map<String, WorkerPool> pools = new ConcurrentHashMap<>();
    private final WorkerSettings workerDefaults;
    private final WorkerHost workerHost = new WorkerHost();
    private volatile boolean closed;

    /**
     * @param scriptsDir {@code udapi.scripts.dir}; may not exist yet (every script is then not found)
     * @param limits     timeout, concurrency, queue, stdout limit
     * @param parser     the OnApiTrigger output rules, with the response body limit
     */
    public ProcessScriptEngine(Path scriptsDir, ScriptLimits limits, ScriptOutputParser parser) {
        this(scriptsDir, limits, parser, WorkerSettings.defaults());
    }

    /** @param workerDefaults {@code udapi.workers.*}, for worker scripts whose {@code .worker} file sets nothing */
    public ProcessScriptEngine(Path scriptsDir, ScriptLimits limits, ScriptOutputParser parser, WorkerSettings workerDefaults) {
        this.workerDefaults = workerDefaults;
        LaunchMechanism.preferVfork(); // before the first process start (binding JNA is one), which fixes it
        ProcessHardening.apply(true);
        this.reaper = OrphanReaper.jvm();
        this.dir = scriptsDir.toAbsolutePath().normalize();
        this.scripts = new ScriptDirectory(dir);
        this.limits = limits;
        this.parser = parser;
        BlockingQueue<Runnable> queue = limits.maxQueue() == 0
                ? new SynchronousQueue<>()
                : new ArrayBlockingQueue<>(limits.maxQueue());
        this.workers = new ThreadPoolExecutor(limits.maxConcurrency(), limits.maxConcurrency(), 60, TimeUnit.SECONDS,
                queue, daemon("udapi-script-"), new ThreadPoolExecutor.AbortPolicy());
        this.workers.allowCoreThreadTimeOut(true);
        // At most two pumps per worker, plus those stuck on pipes held by escaped processes.
        this.pumps = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemon("udapi-script-pipe-"));
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemon("udapi-script-timer-"));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        this.sweeper = new ScheduledThreadPoolExecutor(1, daemon("udapi-script-reaper-"));
        if (reaper.active()) {
            sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        sweeper.scheduleWithFixedDelay(this::refreshWorkers, SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<ScriptResult> onApiTrigger(String scriptName, byte[] inputJson) {
        return submit(scriptName, EntryPoint.ON_API_TRIGGER, inputJson, null);
    }

    @Override
    public CompletionStage<ScriptResult> run(String scriptName, Map<String, String> parameters) {
        return submit(scriptName, EntryPoint.RUN, null, Map.copyOf(parameters));
    }

    @Override
    public List<String> declaredParameters(String scriptName) {
        if (ScriptName.validate(scriptName).isPresent()) {
            return List.of();
        }
        Path file = dir.resolve(scriptName + ScriptDirectory.PARAMS_SUFFIX);
        try {
            return java.nio.file.Files.isRegularFile(file) ? ScriptDirectory.declaredParameters(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public int queueDepth() {
        return workers.getQueue().size();
    }

    /** Largest stdout buffer any run allocated; never above {@code maxOutputBytes + 64 KiB}. */
    long peakBufferedStdout() {
        return peakBufferedStdout.get();
    }

    private CompletionStage<ScriptResult> submit(String name, EntryPoint entry, byte[] input, Map<String, String> params) {
        if (closed) {
            return CompletableFuture.completedFuture(new ScriptResult.NotReady("The script engine is shutting down."));
        }
        Context caller = Vertx.currentContext();
        CompletableFuture<ScriptResult> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + limits.timeout().toNanos();
        WorkerPool pool = pools.get(name);
        if (pool != null && entry == EntryPoint.ON_API_TRIGGER) {
            // a running worker: straight to its pool, no thread of ours in between (Run checks its .params first)
            pool.onApiTrigger(input, deadline, result);
        } else {
            try {
                workers.execute(() -> work(name, entry, input, params, deadline, result));
            } catch (RejectedExecutionException e) {
                return CompletableFuture.completedFuture(closed
                        ? new ScriptResult.NotReady("The script engine is shutting down.")
                        : new ScriptResult.Busy());
            }
        }
        if (caller == null) {
            return result;
        }
        CompletableFuture<ScriptResult> onCaller = new CompletableFuture<>();
        result.whenComplete((r, e) -> caller.runOnContext(v -> {
            if (e != null) {
                onCaller.completeExceptionally(e);
            } else {
                onCaller.complete(r);
            }
        }));
        return onCaller;
    }

    /** On a worker thread. Completes {@code result} exactly once (the timer may have done it first). */
    private void work(String name, EntryPoint entry, byte[] input, Map<String, String> params, long deadline,
                      CompletableFuture<ScriptResult> result) {
        try {
            if (System.nanoTime() - deadline >= 0) {
                result.complete(new ScriptResult.TimedOut(limits.timeout()));
                return;
            }
            ScriptDirectory.Resolved script = scripts.resolve(name);
            if (script.failure() != null) {
                result.complete(script.failure());
                return;
            }
            byte[] stdin = input;
            if (entry == EntryPoint.RUN) {
                ScriptResult missing = scripts.missingParameters(name, params);
                if (missing != null) {
                    result.complete(missing);
                    return;
                }
                stdin = json.writeValueAsBytes(params);
            }
            WorkerSettings.Marker marker = WorkerSettings.read(script.path(), workerDefaults);
            if (marker instanceof WorkerSettings.Marker.Worker worker) {
                if (closed) {
                    result.complete(new ScriptResult.NotReady("The script engine is shutting down."));
                    return;
                }
                WorkerPool pool = pool(name, script.path(), worker.settings());
                if (entry == EntryPoint.RUN) {
                    pool.run(params, deadline, result);
                } else {
                    pool.onApiTrigger(input, deadline, result);
                }
            } else if (marker instanceof WorkerSettings.Marker.Invalid invalid) {
                LOG.warnf("Script %s: %s", name, invalid.problem());
                result.complete(new ScriptResult.Failed("The worker settings of script '" + name + "' are invalid."));
            } else {
                result.complete(execute(name, script.path(), entry, stdin, deadline, result));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.complete(new ScriptResult.NotReady("The script engine is shutting down."));
        } catch (Throwable t) {
            LOG.errorf(t, "Script %s: unexpected error", name);
            result.completeExceptionally(t);
        }
    }

    private ScriptResult execute(String name, Path path, EntryPoint entry, byte[] stdin, long deadline,
                                 CompletableFuture<ScriptResult> result) throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(path.toString())).directory(dir.toFile());
        pb.environment().keySet().retainAll(INHERITED_ENV);
        pb.environment().put(ENTRY_POINT_ENV, entry.envValue);
        pb.environment().put(SCRIPT_NAME_ENV, name);
        // Set once the worker has read stdout to its end: a sweep on exit is then only the worker's own.
        AtomicBoolean drained = new AtomicBoolean();
        Process process;
        try {
            process = reaper.start(pb, () -> {
                if (!drained.get()) {
                    sweepSoon(); // a leftover may hold stdout or stderr open: the worker waits on it
                }
            });
        } catch (IOException e) {
            LOG.warnf("Script %s could not be started: %s", name, e.getMessage());
            return new ScriptResult.Failed("Script '" + name + "' could not be started.");
        }
        live.add(process);
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> killer = timer.schedule(() -> {
            timedOut.set(true);
            killTree(process);
            // The answer waits for the leftovers to be gone, off the timer thread (a sweep may block).
            Runnable answer = () -> {
                try {
                    awaitExit(process);
                    sweep();
                } finally {
                    result.complete(new ScriptResult.TimedOut(limits.timeout()));
                }
            };
            try {
                sweeper.execute(answer);
            } catch (RejectedExecutionException closing) {
                answer.run();
            }
        }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        BoundedOutput.Tail stderr = new BoundedOutput.Tail(STDERR_TAIL_BYTES);
        Future<?> stderrPump = null;
        Future<?> stdinPump = null;
        try {
            stderrPump = pumps.submit(() -> stderr.drainQuietly(process.getErrorStream()));
            if (stdin.length <= INLINE_STDIN_BYTES) {
                writeQuietly(process.getOutputStream(), stdin);
            } else {
                stdinPump = pumps.submit(() -> writeQuietly(process.getOutputStream(), stdin));
            }

            BoundedOutput stdout = null;
            BoundedOutput.Tail runStdout = null;
            try {
                if (entry == EntryPoint.ON_API_TRIGGER) {
                    stdout = BoundedOutput.read(process.getInputStream(), limits.maxOutputBytes());
                    peakBufferedStdout.accumulateAndGet(stdout.bufferedCapacity(), Math::max);
                } else {
                    // Run ignores stdout: drained without a limit (the timeout bounds it), tail kept for logs.
                    runStdout = new BoundedOutput.Tail(STDERR_TAIL_BYTES);
                    runStdout.drain(process.getInputStream());
                }
                drained.set(true);
            } catch (IOException e) {
                if (!timedOut.get()) {
                    LOG.warnf("Script %s: reading stdout failed: %s", name, e.getMessage());
                    return new ScriptResult.Failed("Script '" + name + "' failed.");
                }
            }
            if (stdout != null && stdout.exceeded()) {
                killTree(process);
                LOG.warnf("Script %s: stdout over %d bytes, killed", name, limits.maxOutputBytes());
                return new ScriptResult.OutputTooLarge("output", limits.maxOutputBytes());
            }
            process.waitFor(); // ends: the killer destroys the process at the deadline
            if (timedOut.get()) {
                LOG.warnf("Script %s: killed after %d ms; stderr: %s", name, limits.timeout().toMillis(),
                        awaitTail(stderrPump, stderr));
                return new ScriptResult.TimedOut(limits.timeout());
            }
            int exit = process.exitValue();
            if (exit != 0) {
                LOG.warnf("Script %s (%s) exited with code %d; stderr: %s%s", name, entry.envValue, exit,
                        awaitTail(stderrPump, stderr),
                        runStdout == null || runStdout.isEmpty() ? "" : "; stdout: " + runStdout.text());
                return new ScriptResult.Failed("Script '" + name + "' exited with code " + exit + ".");
            }
            String tail = awaitTail(stderrPump, stderr);
            if (!tail.isEmpty()) {
                LOG.infof("Script %s stderr: %s", name, tail);
            }
            return entry == EntryPoint.RUN ? new ScriptResult.Completed() : parser.parse(stdout.stream());
        } finally {
            killer.cancel(false);
            if (process.isAlive()) {
                killTree(process);
            }
            if (stdinPump != null) {
                stdinPump.cancel(true);
            }
            closeQuietly(process.getOutputStream());
            closeQuietly(process.getInputStream());
            // The run ends here: its process has exited, so whatever it left is adopted; gone before the answer.
            awaitExit(process);
            drained.set(true);
            sweep();
            if (stderrPump != null && !stderrPump.isDone()) {
                awaitQuietly(stderrPump);
            }
            closeQuietly(process.getErrorStream());
            live.remove(process);
        }
    }

    // ---- worker scripts (docs/workers.md) ----

    /** The pool of a worker script, started on first use; one with other settings or another file is replaced. */
    private WorkerPool pool(String name, Path path, WorkerSettings settings) {
        WorkerPool current = pools.get(name);
        if (current != null && current.settings().equals(settings) && current.path().equals(path)) {
            return current;
        }
        synchronized (pools) {
            current = pools.get(name);
            if (current != null && current.settings().equals(settings) && current.path().equals(path)) {
                return current;
            }
            WorkerPool fresh = new WorkerPool(name, path, settings, limits, parser, workerHost);
            pools.put(name, fresh);
            if (current != null) {
                retire(current);
            }
            return fresh;
        }
    }

    /**
     * Every {@link #SWEEP_INTERVAL}: a worker script whose file, {@code .worker} file or settings changed,
     * or that is gone, gets its processes retired, so an edit is picked up within seconds, as it is at once
     * for a script spawned per run. The next request starts the new version.
     */
    private void refreshWorkers() {
        for (Map.Entry<String, WorkerPool> e : pools.entrySet()) {
            WorkerPool pool = e.getValue();
            ScriptDirectory.Resolved script = scripts.resolve(e.getKey());
            boolean same = script.failure() == null && script.path().equals(pool.path())
                    && WorkerSettings.read(script.path(), workerDefaults) instanceof WorkerSettings.Marker.Worker w
                    && w.settings().equals(pool.settings())
                    && pool.unchangedSince(script.path());
            if (!same && pools.remove(e.getKey(), pool)) {
                LOG.infof("Worker script %s changed: its processes finish their requests and stop", e.getKey());
                retire(pool);
            }
        }
    }

    private void retire(WorkerPool pool) {
        long deadline = System.nanoTime() + limits.timeout().toNanos();
        try {
            workerHost.launcher.execute(() -> pool.close(deadline));
        } catch (RejectedExecutionException closing) {
            // close() closes every pool
        }
    }

    /** Live processes of a worker script's pool, for tests. */
    List<Long> workerPids(String name) {
        WorkerPool pool = pools.get(name);
        return pool == null ? List.of() : pool.pids();
    }

    /** Processes a worker script's pool has started so far, for tests. */
    long workersStarted(String name) {
        WorkerPool pool = pools.get(name);
        return pool == null ? 0 : pool.startedCount();
    }

    /** How pools start, kill and sweep processes: as runs do, with the same environment rules. */
    private final class WorkerHost implements WorkerPool.Host {
        private final ExecutorService io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemon("udapi-worker-io-"));
        /** One thread that never ends: processes it starts stay its children (see OrphanReaper). */
        private final ExecutorService launcher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), daemon("udapi-worker-launcher-"));

        @Override
        public Process start(String name, Path path) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(List.of(path.toString())).directory(dir.toFile());
            pb.environment().keySet().retainAll(INHERITED_ENV);
            pb.environment().put(ENTRY_POINT_ENV, WORKER_ENTRY_POINT);
            pb.environment().put(SCRIPT_NAME_ENV, name);
            Process process = reaper.start(pb, ProcessScriptEngine.this::sweepSoon);
            live.add(process);
            process.onExit().thenRun(() -> live.remove(process));
            return process;
        }

        @Override
        public void kill(Process process) {
            killTree(process);
        }

        @Override
        public void sweepSoon() {
            ProcessScriptEngine.this.sweepSoon();
        }

        @Override
        public void sweep() {
            ProcessScriptEngine.this.sweep();
        }

        @Override
        public ExecutorService io() {
            return io;
        }

        @Override
        public ExecutorService launcher() {
            return launcher;
        }

        @Override
        public ScheduledExecutorService timer() {
            return timer;
        }
    }

    /** Kills and reaps every adopted leftover now (see the class comment); never throws. */
    private void sweep() {
        try {
            reaper.sweep(SWEEP_BUDGET);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Sweeping processes left behind by scripts failed");
        }
    }

    private void sweepSoon() {
        try {
            sweeper.execute(this::sweep);
        } catch (RejectedExecutionException closing) {
            // close() sweeps last
        }
    }

    /** Waits (bounded) for a process that exited or was killed; the JDK reaps it meanwhile. */
    private static void awaitExit(Process process) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + EXIT_GRACE.toNanos();
        while (process.isAlive()) {
            long left = deadline - System.nanoTime();
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

    // ---- plumbing ----

    private static void writeQuietly(OutputStream out, byte[] bytes) {
        try (out) {
            out.write(bytes);
        } catch (IOException e) {
            // the script exited or closed stdin without reading all of it: its exit code decides
        }
    }

    private static String awaitTail(Future<?> pump, BoundedOutput.Tail tail) {
        if (pump != null) {
            awaitQuietly(pump);
        }
        return tail.text();
    }

    private static void awaitQuietly(Future<?> pump) {
        try {
            pump.get(PUMP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debug("A process outside the script's tree still holds its stderr open");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // pump failures only lose log text
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Rejects new runs at once, gives running and queued ones until their deadline (at most
     * {@code timeout}), then kills what is left.
     */
    @Override
    public void close() {
        closed = true;
        long deadline = System.nanoTime() + limits.timeout().toNanos();
        workers.shutdown();
        // worker scripts finish what they hold (in parallel with the runs), then their stdin closes
        List<CompletableFuture<Void>> stopping = pools.values().stream()
                .map(pool -> CompletableFuture.runAsync(() -> pool.close(deadline), workerHost.io))
                .toList();
        stopping.forEach(CompletableFuture::join);
        pools.clear();
        try {
            if (!workers.awaitTermination(limits.timeout().toMillis() + PUMP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            live.forEach(ProcessScriptEngine::killTree);
            live.forEach(ProcessScriptEngine::awaitExit);
            sweeper.shutdownNow();
            sweep(); // the last runs' leftovers: once udapi exits they would be init's
            timer.shutdownNow();
            pumps.shutdownNow();
            workerHost.launcher.shutdownNow();
            workerHost.io.shutdownNow();
        }
    }

    private enum EntryPoint {
        ON_API_TRIGGER("OnApiTrigger"), RUN("Run");

        final String envValue;

        EntryPoint(String envValue) {
            this.envValue = envValue;
        }
    }
}
