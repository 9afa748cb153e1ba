package io.udapi.trigger;

import io.udapi.auth.TokenAuthenticator;
import io.udapi.limit.Decision;
import io.udapi.limit.LimiterKey;
import io.udapi.limit.RateLimiterRegistry;
import io.udapi.registry.Registry;
import io.udapi.token.RateLimit;
import io.vertx.core.http.HttpMethod;
import io.udapi.usage.UsageRecorder;
import java.time.Clock;
import java.util.List;

/** The parts of the trigger path that {@code PipelineBench} calls, exposed without CDI or a server. */
public final class BenchTrigger {

    private final TriggerPipeline pipeline;

    /**
     * The declared stages of {@link TriggerHandler}, built as it builds them, with the stages from media on that
     * need an HTTP request replaced by stand-ins that are never run ({@link #inMemory} stops before media).
     */
    public BenchTrigger(TokenAuthenticator auth, Registry registry, RateLimiterRegistry<LimiterKey> limiters) {
        this(auth, registry, limiters, new UsageRecorder(Clock.systemUTC()));
    }

    /**
     * As above, with the limit stage's usage recording (lastUsedAt, docs/tokens.md) left out: the stages alone,
     * the work the pipeline did before usage was recorded.
     */
    public static BenchTrigger withoutUsage(TokenAuthenticator auth, Registry registry, RateLimiterRegistry<LimiterKey> limiters) {
        return new BenchTrigger(auth, registry, limiters, new UsageRecorder(Clock.systemUTC()) {
            @Override
            public void admitted(String tokenId, io.udapi.auth.AuthResult.SecretSlot slot) {
            }
        });
    }

    private BenchTrigger(TokenAuthenticator auth, Registry registry, RateLimiterRegistry<LimiterKey> limiters, UsageRecorder usage) {
        pipeline = new TriggerPipeline(List.of(new MethodStage(), new UrlStage(2048, 8192), new AuthStage(auth, null),
                new RouteStage(registry), new AllowStage(), new LimitStage(limiters, null, usage), new MediaStage(),
                new BodyStage(1 << 20, java.time.Duration.ofSeconds(30), new BodyMemory(Long.MAX_VALUE)), new ParametersStage(), new ScriptStage(null, "bench")), null);
    }

    /**
     * One trigger through the stages method to limit, as the handler starts it (its request and context, the
     * stages' outcomes), then its rate-limit headers as the response stage writes them. Answers the
     * {@code RateLimit} value, or the status of the refusal. The request id and the arrival time are constants:
     * the handler takes them before and after the stages were declared alike, and the older pipeline benchmarks
     * leave them out, so the figures compare the same work.
     */
    public String inMemory(String authorization, String rawSuffix) {
        TriggerContext ctx = TriggerContext.of(new TriggerRequest(null, null, "bench", 0L, HttpMethod.POST, rawSuffix,
                rawSuffix, null, authorization));
        Outcome outcome = pipeline.runUntil(ctx, Stage.Name.MEDIA);
        if (outcome instanceof Outcome.Reject reject) {
            TriggerContext refused = reject.context();
            if (refused.decision() != null) { // the 429 carries its headers
                String policy = RateLimitHeaders.policy(refused.token().rateLimit());
                String rateLimit = RateLimitHeaders.rateLimit(refused.decision());
                return policy.length() + rateLimit.length() > 0 ? status(reject.rejection()) : rateLimit;
            }
            return status(reject.rejection());
        }
        if (!(outcome instanceof TriggerContext passed)) {
            return "argon2";
        }
        Decision decision = passed.decision();
        String policy = RateLimitHeaders.policy(passed.token().rateLimit());
        String rateLimit = RateLimitHeaders.rateLimit(decision);
        return policy.length() > 0 ? rateLimit : policy;
    }

    /** The status as text, a constant for a 429 as in {@code PipelineBench.run}, so neither side allocates it. */
    private static String status(Rejection rejection) {
        return rejection == Rejection.RATE_LIMITED ? "429" : Integer.toString(rejection.status());
    }

    /** The {@code RateLimit-Policy} value, as the response stage writes it. */
    public static String policyHeader(RateLimit limit) {
        return RateLimitHeaders.policy(limit);
    }

    /** The UTF-8 byte count of the path, as the URL stage checks it (docs/architecture.md). */
    public static int pathBytes(String rawPath) {
        return UrlStage.utf8Length(rawPath);
    }
}
