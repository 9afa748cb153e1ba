package io.udapi.trigger;

import io.udapi.limit.Decision;
import io.udapi.token.RateLimit;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rate-limit headers of an answer (docs/concepts.md, "Rate limits"), as pure functions of the token's limit
 * and the limiter's decision: {@code RateLimit-Policy: "default";q=<limit>;w=<window s>},
 * {@code RateLimit: "default";r=<remaining>;t=<seconds>} (t is the reset for an admission, the retry-after for
 * a denial) and, on a 429, {@code Retry-After}.
 */
final class RateLimitHeaders {

    private static final int MAX_CACHED_POLICIES = 4096;
    /** {@code RateLimit-Policy} values by limit (a value type, so one map serves every request). */
    private static final ConcurrentHashMap<RateLimit, String> POLICIES = new ConcurrentHashMap<>();

    private RateLimitHeaders() {
    }

    /**
     * The {@code RateLimit-Policy} value of a limit, built once per distinct limit rather than per request.
     * Limits are few (one per token at most); the cap only guards against unbounded growth. The cached value is
     * the one the function would build, so the cache does not make it any less pure.
     */
    static String policy(RateLimit limit) {
        String policy = POLICIES.get(limit);
        if (policy == null) {
            policy = "\"default\";q=" + limit.limit() + ";w=" + limit.windowSeconds();
            if (POLICIES.size() >= MAX_CACHED_POLICIES) {
                POLICIES.clear();
            }
            POLICIES.put(limit, policy);
        }
        return policy;
    }

    /** The {@code RateLimit} value of a decision. */
    static String rateLimit(Decision decision) {
        return decision.allowed()
                ? "\"default\";r=" + decision.remaining() + ";t=" + decision.resetSeconds()
                : "\"default\";r=0;t=" + decision.retryAfterSeconds();
    }

    /**
     * The public detail of a 429: the limit and when to retry. Built by the response stage, like the headers,
     * so a refusal costs the pipeline no string work until it is answered.
     */
    static String deniedDetail(RateLimit limit, Decision decision) {
        return "At most " + limit.limit() + " requests per " + limit.windowSeconds() + " s are allowed; retry in "
                + decision.retryAfterSeconds() + " s.";
    }

    /** The {@code Retry-After} value of a denial, whole seconds, at least 1. */
    static String retryAfter(Decision decision) {
        return Long.toString(decision.retryAfterSeconds());
    }
}
