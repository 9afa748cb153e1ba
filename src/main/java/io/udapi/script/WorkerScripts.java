package io.udapi.script;

import io.udapi.limit.NanoClock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The worker scripts of the process engine that have running processes, one {@link WorkerPool} per script name
 * (docs/workers.md): started on first use, replaced when the script, its {@code .worker} file or its settings
 * change, closed with the engine.
 *
 * <p>Threads: {@link #running} and {@link #pool} are called from event loops and run threads and never block
 * (a new pool's processes start on the launcher thread); {@link #refresh} runs on the engine's reaper thread
 * every {@link ScriptProcesses#SWEEP_INTERVAL}; a replaced pool closes on the launcher thread. Errors of one
 * pool (a process that cannot start, a broken protocol) are results of its requests, never exceptions here.
 */
final class WorkerScripts {
    private static final Logger LOG = Logger.getLogger(WorkerScripts.class);

    private final ScriptDirectory scripts;
    private final WorkerSettings workerDefaults;
    private final ScriptLimits limits;
    private final ScriptOutputParser parser;
    private final ScriptProcesses processes;
    private final NanoClock clock;
    /** Worker scripts with running processes, by script name. */
    private final Map<String, WorkerPool> pools = new ConcurrentHashMap<>();
    private final Host host = new Host();

    WorkerScripts(ScriptDirectory scripts, WorkerSettings workerDefaults, ScriptLimits limits,
                  ScriptOutputParser parser, ScriptProcesses processes, NanoClock clock) {
        this.scripts = scripts;
        this.workerDefaults = workerDefaults;
        this.limits = limits;
        this.parser = parser;
        this.processes = processes;
        this.clock = clock;
    }

    /** The running pool of {@code name}, or null if it has none (yet). */
    WorkerPool running(String name) {
        return pools.get(name);
    }

    /** The pool of a worker script, started on first use; one with other settings or another file is replaced. */
    WorkerPool pool(String name, Path path, WorkerSettings settings) {
        WorkerPool current = pools.get(name);
        if (current != null && current.settings().equals(settings) && current.path().equals(path)) {
            return current;
        }
        synchronized (pools) {
            current = pools.get(name);
            if (current != null && current.settings().equals(settings) && current.path().equals(path)) {
                return current;
            }
            WorkerPool fresh = new WorkerPool(name, path, settings, limits, parser, host);
            pools.put(name, fresh);
            if (current != null) {
                retire(current);
            }
            return fresh;
        }
    }

    /**
     * A worker script whose file, {@code .worker} file or settings changed, or that is gone, gets its processes
     * retired, so an edit is picked up within seconds, as it is at once for a script spawned per run. The next
     * request starts the new version.
     */
    void refresh() {
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
        long deadline = clock.nanoTime() + limits.timeout().toNanos();
        try {
            host.launcher.execute(() -> pool.close(deadline));
        } catch (RejectedExecutionException closing) {
            // close() closes every pool
        }
    }

    /** Live processes of a worker script's pool, for tests. */
    List<Long> pids(String name) {
        WorkerPool pool = pools.get(name);
        return pool == null ? List.of() : pool.pids();
    }

    /** Processes a worker script's pool has started so far, for tests. */
    long started(String name) {
        WorkerPool pool = pools.get(name);
        return pool == null ? 0 : pool.startedCount();
    }

    /** Every pool finishes what it holds until {@code deadline} (in parallel), then its processes stop. */
    void close(long deadline) {
        List<CompletableFuture<Void>> stopping = pools.values().stream()
                .map(pool -> CompletableFuture.runAsync(() -> pool.close(deadline), host.io))
                .toList();
        stopping.forEach(CompletableFuture::join);
        pools.clear();
    }

    /** After {@link #close}: stops the pools' threads. */
    void stopThreads() {
        host.launcher.shutdownNow();
        host.io.shutdownNow();
    }

    /** How pools start, kill and sweep processes: as runs do, with the same environment rules. */
    private final class Host implements WorkerHost {
        private final ExecutorService io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), ScriptProcesses.daemon("udapi-worker-io-"));
        /** One thread that never ends: processes it starts stay its children (see OrphanReaper). */
        private final ExecutorService launcher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), ScriptProcesses.daemon("udapi-worker-launcher-"));

        @Override
        public Process start(String name, Path path) throws IOException {
            Process process = processes.start(name, path, ProcessScriptEngine.WORKER_ENTRY_POINT, null, processes::sweepSoon);
            process.onExit().thenRun(() -> processes.forget(process));
            return process;
        }

        @Override
        public void kill(Process process) {
            ScriptProcesses.signalTree(process);
        }

        @Override
        public void sweepSoon() {
            processes.sweepSoon();
        }

        @Override
        public void sweep() {
            processes.sweep();
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
            return processes.timer;
        }

        @Override
        public NanoClock clock() {
            return clock;
        }
    }
}
