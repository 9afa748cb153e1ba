package io.udapi.trigger;

/**
 * Allow: the token is in the definition's {@code allowedTokens}, else 401/1010, the answer of an unknown
 * secret: a caller must not learn that the token exists. Before the limit stage: a refused token never
 * consumes a slot.
 */
final class AllowStage implements Stage {

    @Override
    public Name name() {
        return Name.ALLOW;
    }

    @Override
    public Outcome apply(TriggerContext ctx) {
        return ctx.definition().allowedTokens().contains(ctx.token().id()) ? ctx.next()
                : ctx.reject(Rejection.INVALID_TOKEN);
    }
}
