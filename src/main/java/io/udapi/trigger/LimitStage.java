package io.udapi.trigger;

import io.udapi.limit.ClusterLimiter;
import io.udapi.limit.Decision;
import io.udapi.limit.LimiterKey;
import io.udapi.limit.RateLimiterRegistry;
import io.udapi.token.RateLimit;
import io.udapi.usage.UsageRecorder;

/**
 * Limit: the token's limit for this definition is not exceeded (429/1014). From here on the request counts. Adds
 * the decision, from which every later answer takes its rate-limit headers ({@link RateLimitHeaders}); a token
 * without a limit adds none.
 *
 * <p>Instance scope: one compare-and-set in the (token, definition) ring, inline. Cluster scope: the decision of
 * the shared server through an {@link Outcome.Await}; when the server fails or is too slow, the fallback's
 * ({@link ClusterLimiter}): this instance's ring, or 503/1006 ({@link Rejection#LIMITS_UNAVAILABLE}).
 */
final class LimitStage implements Stage {

    private final RateLimiterRegistry<LimiterKey> limiters;
    private final ClusterLimiter cluster;
    private final UsageRecorder usage;

    /** @param cluster the limiter of cluster scope, or null for instance scope */
    LimitStage(RateLimiterRegistry<LimiterKey> limiters, ClusterLimiter cluster, UsageRecorder usage) {
        this.limiters = limiters;
        this.cluster = cluster;
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
        LimiterKey key = new LimiterKey(ctx.token().id(), ctx.definition().id());
        long window = limit.window().toNanos();
        if (cluster == null) {
            return decided(ctx, limiters.tryAcquire(key, limit.limit(), window));
        }
        return new Outcome.Await(cluster.tryAcquire(key, limit.limit(), window).thenApply(answer ->
                answer.decision() == null ? ctx.reject(Rejection.LIMITS_UNAVAILABLE) : decided(ctx, answer.decision())));
    }

    private Outcome decided(TriggerContext ctx, Decision decision) {
        if (decision.allowed()) {
            usage.admitted(ctx.token().id(), ctx.slot());
            return ctx.withDecision(decision, true); // one copy: the decision and the admission together
        }
        // a 429 is not an admission: it leaves lastUsedAt alone (docs/tokens.md, "Usage")
        // the detail is the response stage's, from the decision (RateLimitHeaders.deniedDetail)
        return ctx.withDecision(decision, false).reject(Rejection.RATE_LIMITED);
    }
}
