package io.udapi.trigger;

import io.udapi.auth.AuthResult;
import io.udapi.definition.ApiDefinition;
import io.udapi.route.RequestPath;
import io.udapi.route.RouteMatch;
import io.udapi.token.ApiToken;
import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;

/**
 * What one trigger has learned so far, for the response, the access log and the metrics. Confined to the
 * request's Vert.x context: every step runs on it, asynchronous steps hop back to it before they continue.
 */
final class Exchange {

    final RoutingContext ctx;
    final Context context;
    final String requestId;
    final long startNanos;
    RequestPath path;
    ApiToken token;
    /** Which of the token's secrets proved it, for usage (docs/tokens.md, "Usage"). */
    AuthResult.SecretSlot slot;
    RouteMatch<ApiDefinition> match;
    /** Passed the rate limit (check 8): from here on the request counts as admitted (usage, stats). */
    boolean admitted;
    /** The {@code RateLimit-Policy} and {@code RateLimit} values once the limiter decided; null if unlimited. */
    String rateLimitPolicy;
    String rateLimit;
    boolean answered;

    Exchange(RoutingContext ctx, Context context, String requestId, long startNanos) {
        this.ctx = ctx;
        this.context = context;
        this.requestId = requestId;
        this.startNanos = startNanos;
    }

    ApiDefinition definition() {
        return match == null ? null : match.value();
    }
}
