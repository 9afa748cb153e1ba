package io.udapi.script;

import io.udapi.limit.NanoClock;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One run of a script spawned per request (docs/scripts.md, "The process engine"): spawn, stdin, bounded stdout,
 * stderr tail, exit code, and the hard deadline, with everything the run started gone before its answer (the
 * rules are in {@link ProcessScriptEngine}'s class comment).
 *
 * <p>Threads: {@link #execute} runs on one of the engine's run threads and blocks until the run is over. Stdin
 * larger than a pipe buffer and stderr are pumped on helper threads; the deadline's kill runs on the timer
 * thread, and its answer on the reaper thread. Failures are results ({@link ScriptResult.Failed} and the like),
 * logged with the script's stderr tail; exceptions are left to the engine.
 */
final class ProcessRun {
    private static final Logger LOG = Logger.getLogger(ProcessRun.class);

    static final int STDERR_TAIL_BYTES = 4096;
    /** Stdin this size or smaller fits an empty pipe (PIPE_BUF) and is written by the worker itself. */
    private static final int INLINE_STDIN_BYTES = 4096;
    static final Duration PUMP_GRACE = Duration.ofSeconds(1);

    private final ScriptProcesses processes;
    private final ScriptLimits limits;
    private final ScriptOutputParser parser;
    private final NanoClock clock;
    private final AtomicLong peakBufferedStdout = new AtomicLong();

    ProcessRun(ScriptProcesses processes, ScriptLimits limits, ScriptOutputParser parser, NanoClock clock) {
        this.processes = processes;
        this.limits = limits;
        this.parser = parser;
        this.clock = clock;
    }

    /** Largest stdout buffer any run allocated; never above {@code maxOutputBytes + 64 KiB}. */
    long peakBufferedStdout() {
        return peakBufferedStdout.get();
    }

    /**
     * Runs the script at {@code path} to its end and answers its result; the deadline's timer may complete
     * {@code result} first ({@link ScriptResult.TimedOut}), which the engine then keeps.
     */
    ScriptResult execute(String name, Path path, ProcessScriptEngine.EntryPoint entry, byte[] stdin, String requestId,
                         long deadline, CompletableFuture<ScriptResult> result) throws InterruptedException {
        // Set once the worker has read stdout to its end: a sweep on exit is then only the worker's own.
        AtomicBoolean drained = new AtomicBoolean();
        Process process;
        try {
            process = processes.start(name, path, entry.envValue, requestId, () -> {
                if (!drained.get()) {
                    processes.sweepSoon(); // a leftover may hold stdout or stderr open: the worker waits on it
                }
            });
        } catch (IOException e) {
            LOG.warnf("Script %s could not be started: %s", name, e.getMessage());
            return new ScriptResult.Failed("Script '" + name + "' could not be started.");
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> killer = processes.timer.schedule(() -> {
            timedOut.set(true);
            ScriptProcesses.killTree(process);
            // The answer waits for the leftovers to be gone, off the timer thread (a sweep may block).
            Runnable answer = () -> {
                try {
                    processes.awaitExit(process);
                    processes.sweep();
                } finally {
                    result.complete(new ScriptResult.TimedOut(limits.timeout()));
                }
            };
            try {
                processes.sweeper.execute(answer);
            } catch (RejectedExecutionException closing) {
                answer.run();
            }
        }, Math.max(0, deadline - clock.nanoTime()), TimeUnit.NANOSECONDS);
        BoundedOutput.Tail stderr = new BoundedOutput.Tail(STDERR_TAIL_BYTES);
        Future<?> stderrPump = null;
        Future<?> stdinPump = null;
        try {
            stderrPump = processes.pumps.submit(() -> stderr.drainQuietly(process.getErrorStream()));
            if (stdin.length <= INLINE_STDIN_BYTES) {
                writeQuietly(process.getOutputStream(), stdin);
            } else {
                stdinPump = processes.pumps.submit(() -> writeQuietly(process.getOutputStream(), stdin));
            }

            BoundedOutput stdout = null;
            BoundedOutput.Tail runStdout = null;
            try {
                if (entry == ProcessScriptEngine.EntryPoint.ON_API_TRIGGER) {
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
                ScriptProcesses.killTree(process);
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
            return entry == ProcessScriptEngine.EntryPoint.RUN ? new ScriptResult.Completed() : parser.parse(stdout.stream());
        } finally {
            killer.cancel(false);
            if (process.isAlive()) {
                ScriptProcesses.killTree(process);
            }
            if (stdinPump != null) {
                stdinPump.cancel(true);
            }
            closeQuietly(process.getOutputStream());
            closeQuietly(process.getInputStream());
            // The run ends here: its process has exited, so whatever it left is adopted; gone before the answer.
            processes.awaitExit(process);
            drained.set(true);
            processes.sweep();
            if (stderrPump != null && !stderrPump.isDone()) {
                awaitQuietly(stderrPump);
            }
            closeQuietly(process.getErrorStream());
            processes.forget(process);
        }
    }

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
}
