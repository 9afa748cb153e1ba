package io.udapi.script;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The running processes of one worker script (docs/workers.md): requests go to the least busy process
 * with a free slot, wait in a bounded queue when every slot is taken, and get their answer from the line
 * that carries their id.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A process serves at most {@code concurrency} requests at once and {@code max-requests} in its life;
 *       then it is retired: it gets no new request, and once its last answer is in, its stdin is closed
 *       (its read loop ends), and after a grace it is killed.</li>
 *   <li>A request is handed to one process only and never retried elsewhere: a trigger may have side effects.
 *       If the process dies first, the request answers {@link ScriptResult.Failed} (500/12).</li>
 *   <li>The deadline counts from submission. A request past it answers {@link ScriptResult.TimedOut}; if a
 *       process holds it, that process is killed (with what it started) and replaced on demand.</li>
 *   <li>Nothing a request detached outlives its answer: every adopted process is killed and reaped before
 *       the answer is delivered, as after a run (docs/scripts.md, "The process engine"). The worker process itself, and the children it
 *       still owns, are left alone until it stops.</li>
 *   <li>An answer line longer than the output limit kills the process: udapi cannot read its id, so every
 *       request it held answers {@link ScriptResult.OutputTooLarge} (500/17). A line with an id nobody waits
 *       for breaks the protocol: the process is killed, its requests answer 500/12.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * {@link #submit} never blocks and never forks, so it runs on an event loop: it takes the pool's lock, hands
 * the line to the process's writer thread, or queues the request and asks the launcher thread for another
 * process. Each process has a writer, a reader and a stderr thread. Every state change happens under
 * {@link #lock}; results are completed outside it.
 */
final class WorkerPool {
    private static final Logger LOG = Logger.getLogger(WorkerPool.class);
    /** Between closing a retired process's stdin and killing it. */
    static final long STOP_GRACE_MS = 2000;

    private final String name;
    private final Path path;
    private final WorkerSettings settings;
    private final ScriptLimits limits;
    private final ScriptOutputParser parser;
    final WorkerHost host; // its clock is the stderr budget's time source too
    private final WorkerRequestIds ids = new WorkerRequestIds();
    /** The script file as the pool's processes run it: a change retires them (ProcessScriptEngine). */
    private final String fileStamp;

    private final Object lock = new Object();
    private final List<WorkerProcess> workers = new ArrayList<>();      // guarded by lock: live, retiring ones included
    private final ArrayDeque<WorkerRequest> queue = new ArrayDeque<>(); // guarded by lock
    private int starting;                                           // guarded by lock
    private boolean closed;                                         // guarded by lock
    private long started;                                           // guarded by lock: processes ever started

    WorkerPool(String name, Path path, WorkerSettings settings, ScriptLimits limits, ScriptOutputParser parser, WorkerHost host) {
        this.name = name;
        this.path = path;
        this.settings = settings;
        this.limits = limits;
        this.parser = parser;
        this.host = host;
        this.fileStamp = ScriptDirectory.stamp(path);
        synchronized (lock) {
            launchWanted();
        }
    }

    /** Whether {@code script} is still the file this pool started (time, size and file identity). */
    boolean unchangedSince(Path script) {
        return fileStamp.equals(ScriptDirectory.stamp(script));
    }

    WorkerSettings settings() {
        return settings;
    }

    Path path() {
        return path;
    }

    /** Sends an OnApiTrigger input to a process of the pool. Never blocks. */
    void onApiTrigger(byte[] inputJson, long deadline, CompletableFuture<ScriptResult> result) {
        String id = ids.next();
        try {
            submit(new WorkerRequest(id, false, WorkerLines.onApiTrigger(id, inputJson), deadline, result));
        } catch (IOException e) {
            result.completeExceptionally(e); // udapi wrote this input itself
        }
    }

    /** Sends a Run with its parameters (and the trigger's request id, null: none) to a process of the pool. Never blocks. */
    void run(Map<String, String> parameters, String requestId, long deadline, CompletableFuture<ScriptResult> result) {
        String id = ids.next();
        try {
            submit(new WorkerRequest(id, true, WorkerLines.run(id, parameters, requestId), deadline, result));
        } catch (IOException e) {
            result.completeExceptionally(e);
        }
    }

    private void submit(WorkerRequest request) {
        long left = request.deadline - host.clock().nanoTime();
        if (left <= 0) {
            request.result.complete(new ScriptResult.TimedOut(limits.timeout()));
            return;
        }
        synchronized (lock) {
            if (closed) {
                request.result.complete(new ScriptResult.NotReady("The script engine is shutting down."));
                return;
            }
            WorkerProcess idle = WorkerProcess.idlest(workers, settings.concurrency());
            if (idle == null) {
                queue.add(request);
                launchWanted();
                // the engine's queue bound, plus the slots of processes being started for these requests (so
                // that with udapi.script.max-queue=0 the first trigger of a pool is not refused)
                if (queue.size() > limits.maxQueue() + starting * settings.concurrency()) {
                    queue.pollLast();
                    request.result.complete(new ScriptResult.Busy());
                    return;
                }
            }
            request.timeout = host.timer().schedule(() -> timedOut(request), left, TimeUnit.NANOSECONDS);
            if (idle != null) {
                assign(idle, request);
            }
        }
    }

    // ---- state changes, all under lock ----

    private void assign(WorkerProcess w, WorkerRequest request) {
        w.inFlight.put(request.id, request);
        request.worker = w;
        w.handed++;
        if (settings.maxRequests() > 0 && w.handed >= settings.maxRequests()) {
            w.retiring = true;
            launchWanted();
        }
        w.send(request.line, settings.concurrency());
    }

    /**
     * Closes the stdin of a retired process with nothing in flight: its read loop ends and it exits; one that
     * does not within {@link #STOP_GRACE_MS} is killed.
     */
    private void endInput(WorkerProcess w) {
        w.lines.add(WorkerProcess.END_OF_INPUT);
        try {
            host.timer().schedule(() -> died(w, "it did not exit within " + STOP_GRACE_MS + " ms of its input's end"),
                    STOP_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // close() kills what is left
        }
    }

    /** Hands queued requests to free slots. */
    private void drain() {
        lock.notifyAll(); // close() waits for the pool to fall idle
        while (!queue.isEmpty()) {
            WorkerRequest next = queue.peek();
            if (next.result.isDone()) {
                queue.poll(); // timed out while it waited
                continue;
            }
            WorkerProcess w = WorkerProcess.idlest(workers, settings.concurrency());
            if (w == null) {
                break;
            }
            queue.poll();
            assign(w, next);
        }
        launchWanted();
    }

    /** Starts processes while fewer than {@code min} serve, or requests wait and {@code max} allows more. */
    private void launchWanted() {
        if (closed) {
            return;
        }
        int serving = (int) workers.stream().filter(WorkerProcess::serving).count();
        int waiting = (int) queue.stream().filter(r -> !r.result.isDone()).count();
        int slotsComing = starting * settings.concurrency();
        while (serving + starting < settings.max()
                && (serving + starting < settings.min() || waiting > slotsComing)) {
            starting++;
            slotsComing += settings.concurrency();
            try {
                host.launcher().execute(this::launch);
            } catch (RejectedExecutionException shuttingDown) {
                starting--;
                return;
            }
        }
    }

    /** On the launcher thread: one process more. */
    private void launch() {
        Process process;
        try {
            process = host.start(name, path);
        } catch (IOException e) {
            LOG.warnf("Worker script %s could not be started: %s", name, e.getMessage());
            List<WorkerRequest> failed = new ArrayList<>();
            synchronized (lock) {
                starting--;
                if (workers.isEmpty() && starting == 0) {
                    failed.addAll(queue);
                    queue.clear();
                }
            }
            failed.forEach(r -> r.finish(new ScriptResult.Failed("Script '" + name + "' could not be started.")));
            return;
        }
        WorkerProcess w;
        synchronized (lock) {
            starting--;
            w = new WorkerProcess(this, name, limits, process, ++started);
            workers.add(w);
            if (closed && queue.isEmpty()) {
                w.retiring = true;
            }
        }
        try {
            w.startThreads(host.io());
        } catch (RejectedExecutionException shuttingDown) {
            died(w, "udapi is shutting down");
            return;
        }
        synchronized (lock) {
            if (w.retiring) {
                endInput(w);
            }
            drain();
        }
    }

    /** An answer line of {@code w} arrived (reader thread). */
    void answered(WorkerProcess w, byte[] line) {
        String id = WorkerLines.id(line);
        WorkerRequest request;
        synchronized (lock) {
            request = id == null ? null : w.inFlight.remove(id);
        }
        if (request == null) {
            LOG.warnf("Worker script %s (process %d) answered %s: not a request it holds; the process is replaced",
                    name, w.process.pid(), id == null ? "a line without an id" : "id " + id);
            died(w, "it broke the line protocol");
            return;
        }
        ScriptResult result = request.resultOf(line, name, parser);
        // as for a run: what the request detached (a double fork, setsid) is gone before its answer
        host.sweep();
        request.finish(result);
        synchronized (lock) {
            if (w.retiring && w.inFlight.isEmpty() && !w.dead) {
                endInput(w);
            }
            drain();
        }
    }

    /**
     * {@code w} is gone or must go: its requests fail with {@code failure} (500/12 unless given), it is
     * killed with its descendants, and a replacement starts if one is wanted. Idempotent.
     */
    void died(WorkerProcess w, String why) {
        died(w, why, null);
    }

    void died(WorkerProcess w, String why, ScriptResult failure) {
        List<WorkerRequest> lost;
        synchronized (lock) {
            if (w.dead) {
                return;
            }
            w.dead = true;
            workers.remove(w);
            lost = new ArrayList<>(w.inFlight.values());
            w.inFlight.clear();
            w.lines.add(WorkerProcess.END_OF_INPUT);
        }
        if (!lost.isEmpty() || !w.retiring) {
            LOG.warnf("Worker script %s (process %d) stopped: %s; %d request(s) in flight fail", name,
                    w.process.pid(), why, lost.size());
        }
        for (WorkerRequest r : lost) {
            r.finish(failure != null ? failure
                    : new ScriptResult.Failed("Script '" + name + "' stopped during the request."));
        }
        host.kill(w.process);
        host.sweepSoon();
        synchronized (lock) {
            drain();
        }
    }

    private void timedOut(WorkerRequest request) {
        if (!request.result.complete(new ScriptResult.TimedOut(limits.timeout()))) {
            return;
        }
        WorkerProcess holder;
        synchronized (lock) {
            holder = request.worker;
            if (holder == null) {
                queue.remove(request);
                return;
            }
            holder.inFlight.remove(request.id);
        }
        LOG.warnf("Worker script %s: a request passed its %d ms deadline; process %d is replaced", name,
                limits.timeout().toMillis(), holder.process.pid());
        died(holder, "a request timed out");
    }

    // ---- life ----

    /** Processes ever started by this pool. */
    long startedCount() {
        synchronized (lock) {
            return started;
        }
    }

    /** Pids of the live processes. */
    List<Long> pids() {
        synchronized (lock) {
            return workers.stream().map(w -> w.process.pid()).toList();
        }
    }

    /**
     * Refuses new requests, lets queued and in-flight ones finish until {@code deadline} (a reading of the
     * host's clock), then closes every process's stdin, waits {@link #STOP_GRACE_MS} and kills what is left.
     */
    void close(long deadline) {
        synchronized (lock) {
            closed = true;
        }
        while (host.clock().nanoTime() - deadline < 0) {
            synchronized (lock) {
                boolean idle = queue.stream().allMatch(r -> r.result.isDone())
                        && workers.stream().allMatch(w -> w.inFlight.isEmpty());
                if (idle && starting == 0) {
                    break;
                }
                try {
                    lock.wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<WorkerProcess> left;
        synchronized (lock) {
            left = new ArrayList<>(workers);
            for (WorkerProcess w : left) {
                w.retiring = true;
                w.lines.add(WorkerProcess.END_OF_INPUT);
            }
        }
        long stop = host.clock().nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MS);
        for (WorkerProcess w : left) {
            w.awaitExit(stop - host.clock().nanoTime());
            died(w, "udapi is shutting down", new ScriptResult.NotReady("The script engine is shutting down."));
        }
    }
}
