package io.udapi.trigger;

import io.udapi.limit.Decision;
import io.udapi.limit.LimiterKey;
import io.udapi.limit.RateLimiterRegistry;
import io.udapi.token.RateLimit;
import io.udapi.usage.UsageRecorder;

/**
 * Limit: the token's limit for this definition is not exceeded (429/1014); one compare-and-set in the
 * (token, definition) ring. From here on the request counts. Adds the decision, from which every later answer
 * takes its rate-limit headers ({@link RateLimitHeaders}); a token without a limit adds none.
 */
final class LimitStage implements Stage {

    private final RateLimiterRegistry<LimiterKey> limiters;
    private final UsageRecorder usage;

    LimitStage(RateLimiterRegistry<LimiterKey> limiters, UsageRecorder usage) {
        this.limiters = limiters;
        this.usage = usage;
    }

    @Override
    public Name name() {
        return Name.LIMIT;
    }

    @Override
    public Outcome apply(TriggerContext ctx) {
        RateLimit limit = ctx.token().rateLimit();
        if (limit == null) {
            usage.admitted(ctx.token().id(), ctx.slot());
            return ctx.withDecision(null, true);
        }
        Decision decision = limiters.tryAcquire(new LimiterKey(ctx.token().id(), ctx.definition().id()), limit.limit(),
                limit.window().toNanos());
        if (decision.allowed()) {
            usage.admitted(ctx.token().id(), ctx.slot());
            return ctx.withDecision(decision, true); // one copy: the decision and the admission together
        }
        // a 429 is not an admission: it leaves lastUsedAt alone (docs/tokens.md, "Usage")
        // the detail is the response stage's, from the decision (RateLimitHeaders.deniedDetail)
        return ctx.withDecision(decision, false).reject(Rejection.RATE_LIMITED);
    }
}
