package io.udapi.script;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.jboss.logging.Logger;

/**
 * One request to a {@link WorkerPool} (docs/workers.md): its id and line, its deadline (from the engine's
 * {@code NanoClock}, counted from submission), its result, and which process holds it. The mutable fields are
 * guarded by the pool's lock; {@link #result} is completed once, by the answer, the timeout or the process's end.
 */
final class WorkerRequest {
    private static final Logger LOG = Logger.getLogger(WorkerRequest.class);

    final String id;
    final boolean run;
    final byte[] line;
    final long deadline;
    final CompletableFuture<ScriptResult> result;
    ScheduledFuture<?> timeout;   // set under the pool's lock before the request is reachable by others
    WorkerProcess worker;         // guarded by the pool's lock

    WorkerRequest(String id, boolean run, byte[] line, long deadline, CompletableFuture<ScriptResult> result) {
        this.id = id;
        this.run = run;
        this.line = line;
        this.deadline = deadline;
        this.result = result;
    }

    /** The result an answer line of script {@code name} carries for this request. */
    ScriptResult resultOf(byte[] line, String name, ScriptOutputParser parser) {
        if (!run) {
            return parser.parse(line);
        }
        String error = WorkerLines.runError(line);
        if (error != null) {
            // the worker's own text: cut to the stderr tail's size and made log-safe, as a run's stderr is
            String shown = error.length() > ProcessRun.STDERR_TAIL_BYTES
                    ? error.substring(0, ProcessRun.STDERR_TAIL_BYTES) + "..." : error;
            LOG.warnf("Worker script %s (Run) failed: %s", name, BoundedOutput.logSafe(shown));
            return new ScriptResult.Failed("Script '" + name + "' failed.");
        }
        return new ScriptResult.Completed();
    }

    /** Completes the request with {@code outcome} unless it is known already, and stops its deadline's timer. */
    void finish(ScriptResult outcome) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        result.complete(outcome);
    }
}
