package io.udapi.trigger;

/**
 * One stage of the trigger path (docs/architecture.md, "The trigger path"): a small check or step that reads
 * an immutable {@link TriggerContext} and answers an {@link Outcome}. A stage never writes a response and
 * never calls the next stage; {@link TriggerPipeline} does both, in the order declared once in
 * {@link TriggerHandler}.
 *
 * <p>Stages run on the request's event loop. One that must wait (Argon2 on a cache miss, the body, the
 * script) answers {@link Outcome.Await}; the pipeline resumes the list on the request's context.
 */
interface Stage {

    /** The stages in their documented order; {@link TriggerPipeline} refuses any other. */
    enum Name {
        METHOD, URL, AUTH, ROUTE, ALLOW, LIMIT, MEDIA, BODY, PARAMETERS, SCRIPT, RESPONSE;

        /** As the stage is named in docs/architecture.md. */
        String label() {
            return this == URL ? "URL" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    Name name();

    Outcome apply(TriggerContext ctx);
}
