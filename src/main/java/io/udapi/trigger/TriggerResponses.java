package io.udapi.trigger;

import io.udapi.config.NodeIdentity;
import io.udapi.script.ScriptOutcomeCode;
import io.udapi.script.ScriptResult;
import io.udapi.token.RateLimit;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes every trigger answer: the headers all of them carry ({@code X-Request-Id}, the rate-limit
 * headers once the limiter decided), the error envelope, and the script's own response. Each answer is
 * written once ({@link Exchange#answered}) and reported to {@link TriggerTelemetry}.
 */
@ApplicationScoped
public class TriggerResponses {

    private static final String ALLOW = "GET, POST, PUT, PATCH, DELETE";
    private static final String JSON = "application/json";

    private final ErrorBodies errors;
    private final TriggerTelemetry telemetry;
    private final String requestIdPrefix = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    private final AtomicLong requestCounter = new AtomicLong();

    TriggerResponses(NodeIdentity node, TriggerTelemetry telemetry) {
        this.errors = new ErrorBodies(node.id());
        this.telemetry = telemetry;
    }

    /** Unique per instance and cheap: a random prefix per process and a counter. */
    String nextRequestId() {
        return requestIdPrefix + '-' + Long.toHexString(requestCounter.incrementAndGet());
    }

    void methodNotAllowed(Exchange ex) {
        HttpServerResponse response = start(ex, Rejection.METHOD_NOT_ALLOWED.status());
        response.putHeader(HttpHeaders.ALLOW, ALLOW);
        if (ex.ctx.request().method() == HttpMethod.HEAD) {
            finish(ex, Rejection.METHOD_NOT_ALLOWED.status(), Rejection.METHOD_NOT_ALLOWED.errorCode());
            response.end();
            return;
        }
        sendError(ex, response, Rejection.METHOD_NOT_ALLOWED, errors.of(Rejection.METHOD_NOT_ALLOWED, null));
    }

    void reject(Exchange ex, Rejection rejection, String detail) {
        if (ex.answered) {
            return;
        }
        HttpServerResponse response = start(ex, rejection.status());
        if (rejection.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        if (rejection.status() == 503) {
            response.putHeader(HttpHeaders.RETRY_AFTER, "1");
        }
        if (rejection == Rejection.DRAINING) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        sendError(ex, response, rejection, errors.of(rejection, detail));
    }

    void rateLimited(Exchange ex, RateLimit limit, long retryAfterSeconds) {
        HttpServerResponse response = start(ex, Rejection.RATE_LIMITED.status());
        response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        sendError(ex, response, Rejection.RATE_LIMITED, errors.of(Rejection.RATE_LIMITED,
                "At most " + limit.limit() + " requests per " + limit.windowSeconds() + " s are allowed; retry in "
                        + retryAfterSeconds + " s."));
    }

    /** The connection is closed afterwards: the rest of the body is never read. */
    void bodyTooLarge(Exchange ex, long maxBodyBytes) {
        if (ex.answered) {
            return;
        }
        HttpServerResponse response = start(ex, Rejection.BODY_TOO_LARGE.status());
        response.putHeader(HttpHeaders.CONNECTION, "close");
        sendError(ex, response, Rejection.BODY_TOO_LARGE, errors.of(Rejection.BODY_TOO_LARGE,
                "The body exceeds " + maxBodyBytes + " bytes."));
        ex.ctx.request().connection().close();
    }

    void scriptResult(Exchange ex, ScriptResult result) {
        if (ex.answered) {
            return;
        }
        if (result instanceof ScriptResult.Responded responded) {
            HttpServerResponse response = ex.ctx.response();
            for (Map.Entry<String, List<String>> header : responded.headers().entrySet()) {
                response.putHeader(header.getKey(), header.getValue());
            }
            start(ex, responded.status()); // after the script's headers: ours win (X-Request-Id, RateLimit)
            finish(ex, responded.status(), 0);
            response.end(Buffer.buffer(responded.body()));
        } else if (result instanceof ScriptResult.Completed) {
            HttpServerResponse response = start(ex, 200);
            finish(ex, 200, 0);
            response.end();
        } else if (result instanceof ScriptResult.Failure failure) {
            ScriptOutcomeCode code = failure.code();
            List<String> missing = failure instanceof ScriptResult.MissingParameters m ? m.names() : null;
            HttpServerResponse response = start(ex, code.httpStatus());
            if (code.httpStatus() == 503) {
                response.putHeader(HttpHeaders.RETRY_AFTER, "1");
            }
            response.putHeader(HttpHeaders.CONTENT_TYPE, JSON);
            finish(ex, code.httpStatus(), code.errorCode());
            response.end(errors.build(code.title(), failure.detail(), code.errorCode(), missing));
        }
    }

    private HttpServerResponse start(Exchange ex, int status) {
        ex.answered = true;
        HttpServerResponse response = ex.ctx.response().setStatusCode(status);
        response.headers().set("X-Request-Id", ex.requestId);
        if (ex.rateLimitPolicy != null) {
            response.headers().set("RateLimit-Policy", ex.rateLimitPolicy);
            response.headers().set("RateLimit", ex.rateLimit);
        }
        return response;
    }

    private void sendError(Exchange ex, HttpServerResponse response, Rejection rejection, Buffer body) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        finish(ex, rejection.status(), rejection.errorCode());
        response.end(body);
    }

    private void finish(Exchange ex, int status, int errorCode) {
        telemetry.answered(ex, ex.ctx.request().method().name(), status, errorCode);
    }
}
