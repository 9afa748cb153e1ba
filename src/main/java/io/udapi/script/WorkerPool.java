package io.udapi.script;

import io.udapi.os.OrphanReaper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 *       the answer is delivered, as after a run (SPEC 2.4). The worker process itself, and the children it
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
    private static final byte[] END_OF_INPUT = new byte[0];
    /**
     * A line this short is written by the submitting thread itself (an event loop), without the hand-off to
     * the writer thread: it cannot block, because the pipe (64 KiB on Linux) holds every line a process may
     * have unread, {@code concurrency} of them, and a write of up to PIPE_BUF bytes is atomic.
     */
    static final int INLINE_LINE_BYTES = 4096;
    static final int INLINE_MAX_CONCURRENCY = 16;

    /** What the pool needs from its engine: starting, killing and sweeping processes, and threads. */
    interface Host {
        Process start(String name, Path path) throws IOException;

        void kill(Process process);

        void sweepSoon();

        /** Kills and reaps every adopted process now (blocking, bounded). */
        void sweep();

        ExecutorService io();

        ExecutorService launcher();

        ScheduledExecutorService timer();
    }

    private final String name;
    private final Path path;
    private final WorkerSettings settings;
    private final ScriptLimits limits;
    private final ScriptOutputParser parser;
    private final Host host;
    private final AtomicLong ids = new AtomicLong();
    /** The script file as the pool's processes run it: a change retires them (ProcessScriptEngine). */
    private final String fileStamp;

    private final Object lock = new Object();
    private final List<Worker> workers = new ArrayList<>();      // guarded by lock: live, retiring ones included
    private final ArrayDeque<Request> queue = new ArrayDeque<>(); // guarded by lock
    private int starting;                                           // guarded by lock
    private boolean closed;                                         // guarded by lock
    private long started;                                           // guarded by lock: processes ever started

    WorkerPool(String name, Path path, WorkerSettings settings, ScriptLimits limits, ScriptOutputParser parser, Host host) {
        this.name = name;
        this.path = path;
        this.settings = settings;
        this.limits = limits;
        this.parser = parser;
        this.host = host;
        this.fileStamp = stamp(path);
        synchronized (lock) {
            launchWanted();
        }
    }

    /** Whether {@code script} is still the file this pool started (time, size and file identity). */
    boolean unchangedSince(Path script) {
        return fileStamp.equals(stamp(script));
    }

    private static String stamp(Path file) {
        try {
            java.nio.file.attribute.BasicFileAttributes a = java.nio.file.Files.readAttributes(file,
                    java.nio.file.attribute.BasicFileAttributes.class);
            return a.lastModifiedTime() + "/" + a.size() + "/" + a.fileKey();
        } catch (IOException e) {
            return "unreadable";
        }
    }

    WorkerSettings settings() {
        return settings;
    }

    Path path() {
        return path;
    }

    /** Sends an OnApiTrigger input to a process of the pool. Never blocks. */
    void onApiTrigger(byte[] inputJson, long deadline, CompletableFuture<ScriptResult> result) {
        String id = Long.toString(ids.incrementAndGet());
        byte[] line;
        try {
            line = WorkerLines.onApiTrigger(id, inputJson);
        } catch (IOException e) {
            result.completeExceptionally(e); // udapi wrote this input itself
            return;
        }
        submit(new Request(id, false, line, deadline, result));
    }

    /** Sends a Run with its parameters to a process of the pool. Never blocks. */
    void run(Map<String, String> parameters, long deadline, CompletableFuture<ScriptResult> result) {
        String id = Long.toString(ids.incrementAndGet());
        try {
            submit(new Request(id, true, WorkerLines.run(id, parameters), deadline, result));
        } catch (IOException e) {
            result.completeExceptionally(e);
        }
    }

    private void submit(Request request) {
        long left = request.deadline - System.nanoTime();
        if (left <= 0) {
            request.result.complete(new ScriptResult.TimedOut(limits.timeout()));
            return;
        }
        synchronized (lock) {
            if (closed) {
                request.result.complete(new ScriptResult.NotReady("The script engine is shutting down."));
                return;
            }
            Worker idle = idlest();
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

    /** The process with a free slot and the fewest requests in flight, or null. */
    private Worker idlest() {
        Worker best = null;
        for (Worker w : workers) {
            if (!w.retiring && !w.dead && w.inFlight.size() < settings.concurrency()
                    && (best == null || w.inFlight.size() < best.inFlight.size())) {
                best = w;
            }
        }
        return best;
    }

    private void assign(Worker w, Request request) {
        w.inFlight.put(request.id, request);
        request.worker = w;
        w.handed++;
        if (settings.maxRequests() > 0 && w.handed >= settings.maxRequests()) {
            w.retiring = true;
            launchWanted();
        }
        if (request.line.length <= INLINE_LINE_BYTES && settings.concurrency() <= INLINE_MAX_CONCURRENCY
                && w.lines.isEmpty()) {
            w.writeNow(request.line);
        } else {
            w.lines.add(request.line);
        }
    }

    /**
     * Closes the stdin of a retired process with nothing in flight: its read loop ends and it exits; one that
     * does not within {@link #STOP_GRACE_MS} is killed.
     */
    private void endInput(Worker w) {
        w.lines.add(END_OF_INPUT);
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
            Request next = queue.peek();
            if (next.result.isDone()) {
                queue.poll(); // timed out while it waited
                continue;
            }
            Worker w = idlest();
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
        int serving = 0;
        for (Worker w : workers) {
            if (!w.retiring && !w.dead) {
                serving++;
            }
        }
        int waiting = 0;
        for (Request r : queue) {
            if (!r.result.isDone()) {
                waiting++;
            }
        }
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
            List<Request> failed = new ArrayList<>();
            synchronized (lock) {
                starting--;
                if (workers.isEmpty() && starting == 0) {
                    failed.addAll(queue);
                    queue.clear();
                }
            }
            failed.forEach(r -> finish(r, new ScriptResult.Failed("Script '" + name + "' could not be started.")));
            return;
        }
        Worker w;
        synchronized (lock) {
            starting--;
            w = new Worker(process, ++started);
            workers.add(w);
            if (closed && queue.isEmpty()) {
                w.retiring = true;
            }
        }
        try {
            host.io().execute(w::write);
            host.io().execute(w::read);
            host.io().execute(w::logStderr);
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
    private void answered(Worker w, byte[] line) {
        String id = WorkerLines.id(line);
        Request request;
        synchronized (lock) {
            request = id == null ? null : w.inFlight.remove(id);
        }
        if (request == null) {
            LOG.warnf("Worker script %s (process %d) answered %s: not a request it holds; the process is replaced",
                    name, w.process.pid(), id == null ? "a line without an id" : "id " + id);
            died(w, "it broke the line protocol");
            return;
        }
        ScriptResult result;
        if (request.run) {
            String error = WorkerLines.runError(line);
            if (error != null) {
                LOG.warnf("Worker script %s (Run) failed: %s", name, error);
                result = new ScriptResult.Failed("Script '" + name + "' failed.");
            } else {
                result = new ScriptResult.Completed();
            }
        } else {
            result = parser.parse(line);
        }
        // as for a run: what the request detached (a double fork, setsid) is gone before its answer
        host.sweep();
        finish(request, result);
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
    private void died(Worker w, String why) {
        died(w, why, null);
    }

    private void died(Worker w, String why, ScriptResult failure) {
        List<Request> lost;
        synchronized (lock) {
            if (w.dead) {
                return;
            }
            w.dead = true;
            workers.remove(w);
            lost = new ArrayList<>(w.inFlight.values());
            w.inFlight.clear();
            w.lines.add(END_OF_INPUT);
        }
        if (!lost.isEmpty() || !w.retiring) {
            LOG.warnf("Worker script %s (process %d) stopped: %s; %d request(s) in flight fail", name,
                    w.process.pid(), why, lost.size());
        }
        for (Request r : lost) {
            finish(r, failure != null ? failure
                    : new ScriptResult.Failed("Script '" + name + "' stopped during the request."));
        }
        host.kill(w.process);
        host.sweepSoon();
        synchronized (lock) {
            drain();
        }
    }

    private void timedOut(Request request) {
        if (!request.result.complete(new ScriptResult.TimedOut(limits.timeout()))) {
            return;
        }
        Worker holder;
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

    private void finish(Request request, ScriptResult result) {
        if (request.timeout != null) {
            request.timeout.cancel(false);
        }
        request.result.complete(result);
    }

    // ---- life ----

    /** Live processes (retiring ones included), for tests and readiness. */
    int size() {
        synchronized (lock) {
            return workers.size();
        }
    }

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
     * Refuses new requests, lets queued and in-flight ones finish until {@code deadline} (nanoTime), then
     * closes every process's stdin, waits {@link #STOP_GRACE_MS} and kills what is left.
     */
    void close(long deadline) {
        synchronized (lock) {
            closed = true;
        }
        while (System.nanoTime() - deadline < 0) {
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
        List<Worker> left;
        synchronized (lock) {
            left = new ArrayList<>(workers);
            for (Worker w : left) {
                w.retiring = true;
                w.lines.add(END_OF_INPUT);
            }
        }
        long stop = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MS);
        for (Worker w : left) {
            try {
                w.process.waitFor(Math.max(0, stop - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            died(w, "udapi is shutting down", new ScriptResult.NotReady("The script engine is shutting down."));
        }
    }

    /** One request: its line, its deadline, and who holds it. */
    private static final class Request {
        final String id;
        final boolean run;
        final byte[] line;
        final long deadline;
        final CompletableFuture<ScriptResult> result;
        ScheduledFuture<?> timeout;   // set under lock before the request is reachable by others
        Worker worker;                // guarded by lock

        Request(String id, boolean run, byte[] line, long deadline, CompletableFuture<ScriptResult> result) {
            this.id = id;
            this.run = run;
            this.line = line;
            this.deadline = deadline;
            this.result = result;
        }
    }

    /** One process of the pool and its three threads. */
    private final class Worker {
        final Process process;
        final long number;
        final Map<String, Request> inFlight = new HashMap<>(); // guarded by lock
        final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
        long handed;      // guarded by lock
        boolean retiring; // guarded by lock
        boolean dead;     // guarded by lock

        Worker(Process process, long number) {
            this.process = process;
            this.number = number;
        }

        /** A short line, written and flushed at once by the caller (under the pool's lock). */
        void writeNow(byte[] line) {
            try {
                OutputStream in = process.getOutputStream();
                in.write(line);
                in.flush();
            } catch (IOException e) {
                // the process closed stdin or died: the reader sees the end and fails what it held
            }
        }

        /** Writer thread: request lines to stdin until {@link #END_OF_INPUT}, then closes it. */
        void write() {
            try (OutputStream in = process.getOutputStream()) {
                while (true) {
                    byte[] line = lines.take();
                    if (line == END_OF_INPUT) {
                        return;
                    }
                    in.write(line);
                    if (lines.isEmpty()) {
                        in.flush();
                    }
                }
            } catch (IOException e) {
                // the process closed stdin or died: the reader sees the end and fails what it held
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Reader thread: answer lines until the process's stdout ends. */
        void read() {
            WorkerLines.Reader reader = new WorkerLines.Reader(process.getInputStream(), limits.maxOutputBytes());
            try {
                while (true) {
                    byte[] line = reader.next();
                    if (line == null) {
                        died(this, "its output ended");
                        return;
                    }
                    if (line == WorkerLines.Reader.TOO_LONG) {
                        LOG.warnf("Worker script %s (process %d): an answer line over %d bytes; the process is replaced",
                                name, process.pid(), limits.maxOutputBytes());
                        died(this, "an answer line was too long", new ScriptResult.OutputTooLarge("output", limits.maxOutputBytes()));
                        return;
                    }
                    if (line.length > 0) {
                        answered(this, line);
                    }
                }
            } catch (IOException e) {
                died(this, "reading its output failed: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.errorf(e, "Worker script %s: unexpected error", name);
                died(this, "unexpected error");
            }
        }

        /** Stderr thread: each line to the log, cut at 4 KiB (the rest of a longer line is dropped). */
        void logStderr() {
            byte[] chunk = new byte[8192];
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            try (InputStream err = process.getErrorStream()) {
                int n;
                while ((n = err.read(chunk)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (chunk[i] == '\n') {
                            logLine(line);
                        } else if (line.size() < ProcessScriptEngine.STDERR_TAIL_BYTES) {
                            line.write(chunk[i]);
                        }
                    }
                }
                if (line.size() > 0) {
                    logLine(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }

        private void logLine(java.io.ByteArrayOutputStream line) {
            LOG.infof("Worker script %s (process %d) stderr: %s", name, process.pid(), line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
    }
}
