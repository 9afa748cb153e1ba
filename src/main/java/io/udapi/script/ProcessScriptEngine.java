package io.udapi.script;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.udapi.admission.Admission;
import io.udapi.admission.Ticket;
import io.udapi.limit.NanoClock;
import io.udapi.os.ProcessHardening;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The embedded engine (docs/scripts.md, "The process engine"): a script is an executable file of the scripts directory,
 * started with an argv of one element (no shell), in a clean environment.
 *
 * <p>Threads: callers only enqueue. An {@link Admission} of {@code maxConcurrency} permits and a queue of
 * {@code maxQueue} runs (full: {@link ScriptResult.Busy}) hands each run to a thread of as many run threads,
 * which spawns the process, writes stdin, reads stdout (bounded) and waits ({@link ProcessRun}); the permit is
 * held until that thread is done with the run. Stdin larger than a pipe buffer and stderr are pumped by helper
 * threads; a timer thread kills the process tree at the deadline; a reaper thread sweeps leftovers (below;
 * {@link ScriptProcesses}). Worker scripts go to their pools ({@link WorkerScripts}). Results are delivered on
 * the caller's Vert.x context. Deadlines are read from one {@link NanoClock}.
 *
 * <h2>Nothing outlives a run (docs/scripts.md, "The process engine")</h2>
 * A run is the life of the script's process. When it ends (exit, non-zero exit, output too large,
 * timeout, shutdown) every process it started is gone and reaped before the result is delivered:
 * <ol>
 *   <li>The JVM is a child subreaper ({@link ProcessHardening}), so a descendant whose parent dies (a
 *       double fork, a {@code setsid} daemon, the children of the killed script) is adopted by udapi
 *       instead of init: it can leave the script's tree but never udapi's.</li>
 *   <li>When the script's process exits, or is killed with its descendants at the deadline, everything
 *       it left is by then adopted; {@code OrphanReaper.sweep} kills and reaps adopted processes until
 *       none is left. The worker sweeps before it completes the result, the timer's kill before it
 *       answers {@link ScriptResult.TimedOut}, {@link #close()} after the last run.</li>
 *   <li>A leftover that still holds the script's stdout or stderr would keep the worker reading after
 *       the script has exited; the exit of the script's process therefore also triggers a sweep at once
 *       on the reaper thread, which closes those pipes. Every {@link ScriptProcesses#SWEEP_INTERVAL} a sweep also runs
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
    /** The trigger's {@code X-Request-Id}, in the environment of a one-shot {@code Run} (docs/scripts.md). */
    public static final String REQUEST_ID_ENV = "UDAPI_REQUEST_ID";
    /**
     * The only variables scripts inherit from udapi's environment: udapi's own holds the pepper, the
     * admin password and store credentials, which scripts must never see.
     */
    public static final Set<String> INHERITED_ENV = Set.of("PATH", "HOME", "LANG", "LANGUAGE", "LC_ALL",
            "LC_CTYPE", "TZ", "TMPDIR", "USER", "LOGNAME");

    private static final long IDLE_POLL_MILLIS = 10;
    /**
     * How long a closing engine lets runs that are still going finish before it kills them. The engine closes
     * after Quarkus has drained the in-flight requests ({@code quarkus.shutdown.timeout}, 30 s), so runs still
     * going then answer nobody; waiting for their own deadline (up to {@code udapi.script.timeout}, 90 s) would
     * outlast the pod's grace period (40 s in the chart), whose SIGKILL leaves nothing to clean up
     * (docs/operations.md, "Shutdown"). With a worker's 2 s to exit after its stdin closed, the run threads' 1 s
     * and the kill's wait, the close takes at most about 7 s.
     */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final Path dir;
    private final ScriptDirectory scripts;
    private final ScriptLimits limits;
    private final NanoClock clock;
    /** {@code maxConcurrency} run threads; never more runs than that reach it, the admission sees to it. */
    private final ThreadPoolExecutor workers;
    /** Tasks are "hand this run to a run thread"; the starter just does that. */
    private final Admission<Consumer<Admission.Permit>> admission;
    private final ScriptProcesses processes;
    private final ProcessRun runs;
    private final WorkerScripts workerScripts;
    private final WorkerSettings workerDefaults;
    private final ObjectMapper json = new ObjectMapper();
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
        this(scriptsDir, limits, parser, workerDefaults, NanoClock.SYSTEM);
    }

    /** @param clock the deadlines' time source ({@link NanoClock#SYSTEM} but in tests) */
    public ProcessScriptEngine(Path scriptsDir, ScriptLimits limits, ScriptOutputParser parser,
                               WorkerSettings workerDefaults, NanoClock clock) {
        this(scriptsDir, limits, parser, workerDefaults, clock, ScriptSandbox.standard(scriptsDir));
    }

    /** @param sandbox where script processes may read and write; closed with the engine */
    public ProcessScriptEngine(Path scriptsDir, ScriptLimits limits, ScriptOutputParser parser,
                               WorkerSettings workerDefaults, NanoClock clock, ScriptSandbox sandbox) {
        this.workerDefaults = workerDefaults;
        this.clock = clock;
        LaunchMechanism.preferVfork(); // before the first process start (binding JNA is one), which fixes it
        ProcessHardening.apply(true);
        this.dir = scriptsDir.toAbsolutePath().normalize();
        this.scripts = new ScriptDirectory(dir);
        this.limits = limits;
        // unbounded, but the admission lets at most maxConcurrency runs in, so it holds at most a hand-over
        this.workers = new ThreadPoolExecutor(limits.maxConcurrency(), limits.maxConcurrency(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), ScriptProcesses.daemon("udapi-script-"));
        this.workers.allowCoreThreadTimeOut(true);
        this.admission = new Admission<>(limits.maxConcurrency(), limits.maxQueue(), Consumer::accept);
        this.processes = new ScriptProcesses(dir, clock, sandbox);
        this.runs = new ProcessRun(processes, limits, parser, clock);
        this.workerScripts = new WorkerScripts(scripts, workerDefaults, limits, parser, processes, clock);
        processes.every(ScriptProcesses.SWEEP_INTERVAL, workerScripts::refresh);
    }

    @Override
    public CompletionStage<ScriptResult> onApiTrigger(String scriptName, byte[] inputJson) {
        return submit(scriptName, EntryPoint.ON_API_TRIGGER, inputJson, null, null);
    }

    @Override
    public CompletionStage<ScriptResult> run(String scriptName, Map<String, String> parameters, String requestId) {
        return submit(scriptName, EntryPoint.RUN, null, Map.copyOf(parameters), requestId);
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
        return admission.queued();
    }

    /** Largest stdout buffer any run allocated; never above {@code maxOutputBytes + 64 KiB}. */
    long peakBufferedStdout() {
        return runs.peakBufferedStdout();
    }

    private CompletionStage<ScriptResult> submit(String name, EntryPoint entry, byte[] input, Map<String, String> params,
                                                 String requestId) {
        if (closed) {
            return CompletableFuture.completedFuture(new ScriptResult.NotReady("The script engine is shutting down."));
        }
        Context caller = Vertx.currentContext();
        CompletableFuture<ScriptResult> result = new CompletableFuture<>();
        long deadline = clock.nanoTime() + limits.timeout().toNanos();
        WorkerPool pool = workerScripts.running(name);
        if (pool != null && entry == EntryPoint.ON_API_TRIGGER) {
            // a running worker: straight to its pool, no thread of ours in between (Run checks its .params first)
            pool.onApiTrigger(input, deadline, result);
        } else {
            Ticket ticket = admission.tryEnter(permit -> dispatch(permit, result,
                    () -> work(name, entry, input, params, requestId, deadline, result)));
            if (ticket instanceof Ticket.Busy) {
                return CompletableFuture.completedFuture(new ScriptResult.Busy());
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

    /** The admission's starter: {@code run} on a run thread, holding {@code permit} until it returns. */
    private void dispatch(Admission.Permit permit, CompletableFuture<ScriptResult> result, Runnable run) {
        try {
            workers.execute(() -> {
                try {
                    run.run();
                } finally {
                    permit.release();
                }
            });
        } catch (RejectedExecutionException shutDown) {
            // only after close() has stopped the run threads
            permit.release();
            result.complete(new ScriptResult.NotReady("The script engine is shutting down."));
        }
    }

    /** On a run thread. Completes {@code result} exactly once (the timer may have done it first). */
    private void work(String name, EntryPoint entry, byte[] input, Map<String, String> params, String requestId,
                      long deadline, CompletableFuture<ScriptResult> result) {
        try {
            if (clock.nanoTime() - deadline >= 0) {
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
                WorkerPool pool = workerScripts.pool(name, script.path(), worker.settings());
                if (entry == EntryPoint.RUN) {
                    pool.run(params, requestId, deadline, result);
                } else {
                    pool.onApiTrigger(input, deadline, result);
                }
            } else if (marker instanceof WorkerSettings.Marker.Invalid invalid) {
                LOG.warnf("Script %s: %s", name, invalid.problem());
                result.complete(new ScriptResult.Failed("The worker settings of script '" + name + "' are invalid."));
            } else {
                result.complete(runs.execute(name, script.path(), entry, stdin, requestId, deadline, result));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.complete(new ScriptResult.NotReady("The script engine is shutting down."));
        } catch (Throwable t) {
            LOG.errorf(t, "Script %s: unexpected error", name);
            result.completeExceptionally(t);
        }
    }

    /** Live processes of a worker script's pool, for tests. */
    List<Long> workerPids(String name) {
        return workerScripts.pids(name);
    }

    /** Processes a worker script's pool has started so far, for tests. */
    long workersStarted(String name) {
        return workerScripts.started(name);
    }

    /**
     * Rejects new runs at once, gives running and queued ones until their deadline but at most
     * {@link #CLOSE_GRACE}, then kills what is left.
     */
    @Override
    public void close() {
        closed = true;
        Duration grace = limits.timeout().compareTo(CLOSE_GRACE) < 0 ? limits.timeout() : CLOSE_GRACE;
        long deadline = clock.nanoTime() + grace.toNanos();
        // worker scripts finish what they hold (in parallel with the runs), then their stdin closes
        workerScripts.close(deadline);
        try {
            // queued runs still start as permits free; each ends by its deadline, its clean-up a grace later; one
            // deadline for the workers and the runs, so the two waits do not add up
            awaitIdle(deadline + ProcessRun.PUMP_GRACE.toNanos());
            workers.shutdown();
            if (!workers.awaitTermination(ProcessRun.PUMP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            processes.close();
            workerScripts.stopThreads();
        }
    }

    /** Waits until no run holds a permit or waits for one, at most until {@code end} ({@link NanoClock} time). */
    private void awaitIdle(long end) throws InterruptedException {
        while ((admission.running() > 0 || admission.queued() > 0) && clock.nanoTime() - end < 0) {
            // a short poll, as WorkerPool.close does: the admission is lock-free and has nothing to wait on
            Thread.sleep(IDLE_POLL_MILLIS);
        }
    }

    enum EntryPoint {
        ON_API_TRIGGER("OnApiTrigger"), RUN("Run");

        final String envValue;

        EntryPoint(String envValue) {
            this.envValue = envValue;
        }
    }
}
