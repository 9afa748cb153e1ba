package io.udapi.trigger;

import io.udapi.definition.ActionType;
import io.udapi.definition.ApiDefinition;
import io.udapi.script.ScriptEngine;
import io.udapi.script.ScriptResult;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Script: the engine runs the definition's script within its bounds and timeout, on a worker thread (process)
 * or the async client (http). Adds the {@link ScriptResult}, which the response stage writes; a failure of its
 * own ({@link ScriptResult.Failure}) is a result too, with its status from {@link io.udapi.script.ScriptOutcomeCode}.
 * A fault of the engine (an exception) is logged with the request id and answers 500/8. The input JSON is held in
 * the trigger's {@link BodyMemory} share beside its body; an input that does not fit answers 503/1006.
 */
final class ScriptStage implements Stage {

    private static final Logger LOG = Logger.getLogger(ScriptStage.class);

    private final ScriptEngine engine;
    private final String nodeId;

    ScriptStage(ScriptEngine engine, String nodeId) {
        this.engine = engine;
        this.nodeId = nodeId;
    }

    @Override
    public Name name() {
        return Name.SCRIPT;
    }

    @Override
    public Outcome apply(TriggerContext ctx) {
        ApiDefinition definition = ctx.definition();
        String script = definition.actionMeta().scriptName();
        CompletionStage<ScriptResult> run;
        try {
            if (definition.actionType() == ActionType.AutomationScriptNoEntryPoint) {
                run = engine.run(script, ctx.parameters(), ctx.request().requestId());
            } else {
                HttpServerRequest request = ctx.request().http();
                byte[] input = TriggerInput.build(request.method().name(), ctx.path().route(), ctx.match(), ctx.body(),
                        ctx.parameters(), QueryString.parse(request.query()), ctx.token(), ctx.request().requestId(),
                        nodeId);
                if (!ctx.memory().tryAdd(input.length)) {
                    return ctx.reject(Rejection.BODY_MEMORY_BUSY); // held until the response, like the body
                }
                run = engine.onApiTrigger(script, input);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "request %s: the script could not be started", ctx.request().requestId());
            return ctx.reject(Rejection.UNEXPECTED);
        }
        return new Outcome.Await(run.handle((result, failure) -> {
            if (failure != null) {
                LOG.errorf(failure, "request %s: the script engine failed", ctx.request().requestId());
                return ctx.reject(Rejection.UNEXPECTED);
            }
            return ctx.withResult(result);
        }));
    }
}
