package io.udapi.trigger;

import io.vertx.core.Context;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * What a trigger request is, read once from Vert.x when it arrives: the part of {@link TriggerContext} that no
 * stage changes. The in-memory stages (method to limit) read only these values, never the Vert.x request, so
 * they run the same without a server (PipelineBench, the stage tests).
 *
 * @param routing the Vert.x exchange, for the stages that read headers or the body and for the answer; null
 *                only where no HTTP request exists (benchmarks)
 * @param context the request's Vert.x context: asynchronous stages resume on it
 * @param rawPath the path as received, for its length limit
 * @param suffix the normalised path after {@code /api/custom} (docs/security.md: one spelling, one meaning)
 * @param query the raw query string, or null
 * @param authorization the {@code Authorization} header, or null
 */
record TriggerRequest(RoutingContext routing, Context context, String requestId, long startNanos, HttpMethod method,
                      String rawPath, String suffix, String query, String authorization) {

    HttpServerRequest http() {
        return routing.request();
    }
}
