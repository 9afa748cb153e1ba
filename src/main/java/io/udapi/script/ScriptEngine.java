package io.udapi.script;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Runs the script of an API definition (docs/scripts.md). Implementations never block the calling thread
 * (a Vert.x event loop): the stage completes later, on the caller's Vert.x context when there is one.
 * The stage completes normally with a {@link ScriptResult} for every expected outcome, including
 * failures; it completes exceptionally only on a bug.
 */
public interface ScriptEngine extends AutoCloseable {

    /**
     * The OnApiTrigger contract of {@code AutomationScript}.
     *
     * @param scriptName the definition's {@code actionMeta.scriptName}
     * @param inputJson  the input JSON object of docs/scripts.md, built by the trigger handler; not modified
     * @return {@link ScriptResult.Responded} or a {@link ScriptResult.Failure}
     */
    CompletionStage<ScriptResult> onApiTrigger(String scriptName, byte[] inputJson);

    /**
     * The Run contract of {@code AutomationScriptNoEntryPoint}.
     *
     * @param parameters every parameter of the request, declared by the script or not
     * @param requestId  the trigger's {@code X-Request-Id}, passed to the script (docs/scripts.md, "The Run
     *                   contract"), or null when the run belongs to no request
     * @return {@link ScriptResult.Completed} or a {@link ScriptResult.Failure}
     */
    CompletionStage<ScriptResult> run(String scriptName, Map<String, String> parameters, String requestId);

    /** A run that belongs to no request. */
    default CompletionStage<ScriptResult> run(String scriptName, Map<String, String> parameters) {
        return run(scriptName, parameters, null);
    }

    /**
     * The parameters a Run script declares (its {@code .params} file for the process engine), for documents
     * such as the OpenAPI one; empty when the engine cannot tell. Blocking: worker threads only.
     */
    default List<String> declaredParameters(String scriptName) {
        return List.of();
    }

    /** Runs waiting for a slot, for {@code udapi_script_queue_depth}. */
    int queueDepth();

    /** Stops accepting runs (they answer {@link ScriptResult.NotReady}) and releases threads/connections. */
    @Override
    void close();
}
