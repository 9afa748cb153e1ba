package io.udapi.trigger;

import java.util.concurrent.CompletionStage;

/**
 * What a {@link Stage} answers. Expected refusals are values, never exceptions:
 * <ul>
 *   <li><b>Next</b>: the stage passed; the next one runs with the context it returns. The context itself is
 *       this outcome ({@link TriggerContext#next()}, or a {@code with...} copy that adds what the stage
 *       learned), so passing a stage allocates nothing beyond that copy;</li>
 *   <li>{@link Reject}: the stage refuses; {@link TriggerResponses} answers through the {@link Rejection}
 *       table, and no later stage runs;</li>
 *   <li>{@link Await}: the stage's answer comes later (Argon2, the body, the script); the pipeline takes the
 *       outcome the stage completes with as this stage's outcome, on the request's Vert.x context.</li>
 * </ul>
 */
sealed interface Outcome permits TriggerContext, Outcome.Reject, Outcome.Await {

    /**
     * A refusal of the request in {@code context}, the context the refusing stage had learned (the limit
     * stage's includes its decision, so a 429 carries the rate-limit headers).
     *
     * @param detail the public detail when {@code rejection} has no fixed one, else ignored
     */
    record Reject(Rejection rejection, String detail, TriggerContext context) implements Outcome {
    }

    /**
     * A stage that completes elsewhere. The completion stage must not fail for an expected refusal (it
     * completes with a {@link Reject}); a failure is a fault and answers 500/8.
     */
    record Await(CompletionStage<Outcome> stage) implements Outcome {
    }
}
