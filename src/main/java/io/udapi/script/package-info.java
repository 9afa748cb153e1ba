/**
 * Script engines: run the script of an API definition and turn what it produced into a
 * {@link io.udapi.script.ScriptResult} (docs/scripts.md).
 *
 * <h2>Purpose</h2>
 * {@link io.udapi.script.ScriptEngine} has the two contracts: {@code onApiTrigger} (OnApiTrigger: input
 * JSON in, response out) and {@code run} (Run: parameters in, exit status out). Two implementations:
 * {@link io.udapi.script.ProcessScriptEngine} (executables of a directory, the embedded default) and
 * {@link io.udapi.script.HttpScriptEngine} (a sidecar). Both share
 * {@link io.udapi.script.ScriptOutputParser}, which applies every output rule of docs/scripts.md (status range,
 * base64, size, header syntax, blocked headers, default Content-Type), and
 * {@link io.udapi.script.ScriptName}, the definition-time rule that keeps a name inside the directory.
 * {@link io.udapi.script.ScriptEngines} builds the configured engine.
 *
 * <h2>Threading model</h2>
 * Callers are Vert.x event loops; no method blocks them. The returned stage completes on the caller's
 * Vert.x context when there is one. Both engines bound their runs with one
 * {@link io.udapi.admission.Admission} each: {@code udapi.script.max-concurrency} running,
 * {@code udapi.script.max-queue} waiting, then {@link io.udapi.script.ScriptResult.Busy} (503 / 1006). The
 * process engine spawns, writes, reads and waits on as many run threads ({@link io.udapi.script.ProcessRun});
 * helper threads pump large stdin and stderr, one timer thread kills process trees at the deadline, and one
 * reaper thread removes what scripts leave behind ({@link io.udapi.script.ScriptProcesses},
 * {@link io.udapi.os.OrphanReaper}); worker scripts are served by their pools
 * ({@link io.udapi.script.WorkerScripts}, docs/workers.md). The http engine is fully asynchronous (Vert.x
 * {@code HttpClient}, keep-alive pool). Both expose {@code queueDepth()} for {@code udapi_script_queue_depth}.
 * One deadline ({@code udapi.script.timeout}) counts from submission, queue wait included, read from one
 * injectable {@link io.udapi.limit.NanoClock} per engine, so tests can fake time.
 *
 * <h2>Error policy</h2>
 * Every expected outcome (script missing, failed, timed out, bad output, engine busy or unreachable) is a
 * {@link io.udapi.script.ScriptResult.Failure} value whose {@link io.udapi.script.ScriptOutcomeCode}
 * carries the HTTP status, errorCode and title, in one table. A stage completes exceptionally only
 * on a bug (the trigger answers 500/8). {@code detail()} texts are safe for clients: they never contain
 * script output, stderr, engine URLs or host paths; those go to the log (stderr truncated to its last
 * 4 KiB, control characters escaped). Scripts run with a clean environment (only {@code PATH}, {@code HOME},
 * locale and similar variables are inherited), so udapi's secrets never reach them; udapi is
 * non-dumpable, so a script of the same uid cannot read them through {@code /proc} either; and every
 * process a run started is killed and reaped before its result is delivered
 * ({@link io.udapi.script.ProcessScriptEngine} explains how; docs/security.md, "Script isolation").
 */
package io.udapi.script;
