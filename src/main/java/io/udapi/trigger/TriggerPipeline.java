package io.udapi.trigger;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs a trigger through its stages: each stage's {@link Outcome} decides what happens next, the first refusal
 * answers, and a trigger that passes them all is answered with its script's result. The stage list is declared
 * once ({@link TriggerHandler}) and checked here, when the pipeline is built at start-up, against the documented
 * order (docs/architecture.md, "The trigger path"), as vertx-web checks the order of its handlers: a list in
 * another order would break a promise of that order (auth before route, allow before limit, nothing reads a body
 * a cheaper check would refuse), so the service does not start with one.
 *
 * <p><b>Threading.</b> Stages run on the request's Vert.x context. After an {@link Outcome.Await} the list
 * resumes on that context (inline when the stage completed there already, else through
 * {@link Context#runOnContext}), so the stages of one trigger run one at a time, on one thread.
 */
final class TriggerPipeline {

    private static final Logger LOG = Logger.getLogger(TriggerPipeline.class);
    /** The order of docs/architecture.md: method → URL → auth → ... → script → response. */
    static final List<Stage.Name> DOCUMENTED = List.of(Stage.Name.values());

    private final Stage[] stages;
    private final TriggerResponses responses;

    /**
     * @param stages every stage before the response, in their documented order
     * @param responses the response stage, which ends every trigger
     * @throws IllegalStateException when the stages are not those of the documented order, in that order
     */
    TriggerPipeline(List<Stage> stages, TriggerResponses responses) {
        List<Stage.Name> declared = new ArrayList<>(stages.size() + 1);
        for (Stage stage : stages) {
            declared.add(stage.name());
        }
        declared.add(Stage.Name.RESPONSE);
        if (!declared.equals(DOCUMENTED)) {
            throw new IllegalStateException("the trigger stages are declared as " + describe(declared)
                    + "; docs/architecture.md fixes them as " + describe(DOCUMENTED));
        }
        this.stages = stages.toArray(new Stage[0]);
        this.responses = responses;
    }

    /** The declared order, response included, as the docs write it. */
    String describe() {
        return describe(DOCUMENTED);
    }

    private static String describe(List<Stage.Name> names) {
        return names.stream().map(Stage.Name::label).collect(Collectors.joining(" → "));
    }

    /** Runs a new trigger from its first stage to its answer. */
    void start(TriggerContext ctx) {
        proceed(ctx, 0);
    }

    /**
     * Runs stages inline, from the first until {@code stop} (exclusive) or the first outcome that is not a "next";
     * answers nothing. For benchmarks and tests of the in-memory stages.
     */
    Outcome runUntil(TriggerContext ctx, Stage.Name stop) {
        Outcome outcome = ctx;
        for (int i = 0; i < stop.ordinal() && outcome instanceof TriggerContext next; i++) {
            outcome = stages[i].apply(next);
        }
        return outcome;
    }

    /** Stages from {@code index} on, inline while each answers "next". */
    private void proceed(TriggerContext ctx, int index) {
        TriggerContext at = ctx;
        for (int i = index; i < stages.length; i++) {
            Outcome outcome = stages[i].apply(at);
            if (!(outcome instanceof TriggerContext next)) {
                settle(at, i, outcome);
                return; // exit: refused, or waiting for an asynchronous stage
            }
            at = next;
        }
        responses.scriptResult(at); // exit: every stage passed
    }

    /** Acts on stage {@code index}'s outcome, {@code ctx} being what that stage was given. */
    private void settle(TriggerContext ctx, int index, Outcome outcome) {
        if (outcome instanceof TriggerContext next) {
            proceed(next, index + 1);
        } else if (outcome instanceof Outcome.Reject reject) {
            responses.reject(reject);
        } else if (outcome instanceof Outcome.Await await) {
            Context context = ctx.request().context();
            await.stage().whenComplete((completed, failure) -> {
                if (Vertx.currentContext() == context) {
                    resumed(ctx, index, completed, failure);
                } else {
                    context.runOnContext(v -> resumed(ctx, index, completed, failure));
                }
            });
        }
    }

    private void resumed(TriggerContext ctx, int index, Outcome completed, Throwable failure) {
        if (failure != null || completed == null) {
            // stages complete with a Reject for every expected refusal: this is a fault (docs/architecture.md)
            LOG.errorf(failure, "request %s: the %s stage failed", ctx.request().requestId(), stages[index].name().label());
            responses.reject(ctx.reject(Rejection.UNEXPECTED));
            return;
        }
        settle(ctx, index, completed);
    }
}
