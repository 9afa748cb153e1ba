package io.udapi.script;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One process of a {@link WorkerPool} and its three threads (docs/workers.md): a writer that sends request lines
 * to its stdin, a reader that hands each answer line to the pool, and one that logs its stderr line by line.
 *
 * <p>The state fields ({@link #inFlight}, {@link #handed}, {@link #retiring}, {@link #dead}) belong to the pool
 * and are guarded by the pool's lock; this class never takes it. Every failure of the process (its output ends,
 * a line is too long, a read fails) goes to {@link WorkerPool#died}, which fails what it held; nothing here
 * throws.
 */
final class WorkerProcess {
    private static final Logger LOG = Logger.getLogger(WorkerProcess.class);
    /** Put in {@link #lines} to end the writer: it closes stdin, and the process's read loop ends. */
    static final byte[] END_OF_INPUT = new byte[0];
    /**
     * A line this short is written by the submitting thread itself (an event loop), without the hand-off to
     * the writer thread. It cannot block, because the pipe (64 KiB on Linux) holds every byte a process may have
     * unread: a process learns a request's id only by reading its line (the ids are unguessable,
     * {@link WorkerPool}), so when a slot frees, what it has not read is at most the other
     * {@code concurrency - 1} lines in flight and the unread rest of the line it just answered (under 4 KiB),
     * and with the new line that is at most {@code (INLINE_MAX_CONCURRENCY + 1) × 4 KiB} = 64 KiB. A write of
     * up to PIPE_BUF (4 KiB) bytes is atomic.
     */
    static final int INLINE_LINE_BYTES = 4096;
    static final int INLINE_MAX_CONCURRENCY = 15;

    private final WorkerPool pool;
    private final String name;
    private final ScriptLimits limits;
    final Process process;
    final long number;
    final Map<String, WorkerRequest> inFlight = new HashMap<>(); // guarded by the pool's lock
    final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
    long handed;      // guarded by the pool's lock
    boolean retiring; // guarded by the pool's lock
    boolean dead;     // guarded by the pool's lock

    WorkerProcess(WorkerPool pool, String name, ScriptLimits limits, Process process, long number) {
        this.pool = pool;
        this.name = name;
        this.limits = limits;
        this.process = process;
        this.number = number;
    }

    /** Waits up to {@code nanos} for the process to exit (its stdin closed); an interrupt ends the wait. */
    void awaitExit(long nanos) {
        try {
            process.waitFor(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts its writer, reader and stderr threads on {@code io}. */
    void startThreads(Executor io) {
        io.execute(this::write);
        io.execute(this::read);
        io.execute(this::logStderr);
    }

    /** Whether it takes new requests: neither retiring nor dead (under the pool's lock). */
    boolean serving() {
        return !retiring && !dead;
    }

    /** Of {@code workers}, the one serving with a free slot and the fewest requests in flight, or null (under the pool's lock). */
    static WorkerProcess idlest(List<WorkerProcess> workers, int concurrency) {
        WorkerProcess best = null;
        for (WorkerProcess w : workers) {
            if (w.serving() && w.inFlight.size() < concurrency
                    && (best == null || w.inFlight.size() < best.inFlight.size())) {
                best = w;
            }
        }
        return best;
    }

    /**
     * Hands a request line to the process: a short one is written at once by the caller (under the pool's lock,
     * see {@link #INLINE_LINE_BYTES}), any other goes to the writer thread.
     */
    void send(byte[] line, int concurrency) {
        if (line.length <= INLINE_LINE_BYTES && concurrency <= INLINE_MAX_CONCURRENCY && lines.isEmpty()) {
            writeNow(line);
        } else {
            lines.add(line);
        }
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
                    pool.died(this, "its output ended");
                    return;
                }
                if (line == WorkerLines.Reader.TOO_LONG) {
                    LOG.warnf("Worker script %s (process %d): an answer line over %d bytes; the process is replaced",
                            name, process.pid(), limits.maxOutputBytes());
                    pool.died(this, "an answer line was too long", new ScriptResult.OutputTooLarge("output", limits.maxOutputBytes()));
                    return;
                }
                if (line.length > 0) {
                    pool.answered(this, line);
                }
            }
        } catch (IOException e) {
            pool.died(this, "reading its output failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Worker script %s: unexpected error", name);
            pool.died(this, "unexpected error");
        }
    }

    /**
     * Stderr thread: each line to the log, cut at 4 KiB (the rest of a longer line is dropped) and made log-safe,
     * so a worker cannot forge a line of udapi's log with a carriage return or an escape sequence; at most as
     * many lines as {@link LogLineBudget} lets through, so it cannot flood the log either.
     */
    void logStderr() {
        byte[] chunk = new byte[8192];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        LogLineBudget budget = new LogLineBudget(pool.host.clock());
        try (InputStream err = process.getErrorStream()) {
            int n;
            while ((n = err.read(chunk)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        logLine(line, budget);
                    } else if (line.size() < ProcessRun.STDERR_TAIL_BYTES) {
                        line.write(chunk[i]);
                    }
                }
            }
            if (line.size() > 0) {
                logLine(line, budget);
            }
        } catch (IOException e) {
            // the process is gone
        }
        long dropped = budget.takeDropped();
        if (dropped > 0) {
            LOG.infof("Worker script %s (process %d) stderr: %d more line(s) not logged", name, process.pid(), dropped);
        }
    }

    private void logLine(ByteArrayOutputStream line, LogLineBudget budget) {
        if (budget.tryTake()) {
            long dropped = budget.takeDropped();
            LOG.infof("Worker script %s (process %d) stderr: %s%s", name, process.pid(),
                    BoundedOutput.logSafe(line.toString(StandardCharsets.UTF_8)),
                    dropped > 0 ? " (" + dropped + " line(s) before it not logged)" : "");
        }
        line.reset();
    }
}
