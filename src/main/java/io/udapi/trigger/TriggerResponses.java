package io.udapi.trigger;

import io.udapi.config.NodeIdentity;
import io.udapi.limit.Decision;
import io.udapi.script.ScriptOutcomeCode;
import io.udapi.script.ScriptResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The response stage: writes every trigger answer, a refusal through the {@link Rejection} table or the script's
 * result, with the headers all of them carry ({@code X-Request-Id}, and the rate-limit headers once the limit
 * stage decided, {@link RateLimitHeaders}), then tells every {@link TriggerObserver}. A request is answered once:
 * the pipeline ends each trigger in exactly one call here, and an already ended response is left alone.
 */
@ApplicationScoped
public class TriggerResponses {

    private static final Logger LOG = Logger.getLogger(TriggerResponses.class);
    private static final String ALLOW = "GET, POST, PUT, PATCH, DELETE";
    private static final String JSON = "application/json";

    private final ErrorBodies errors;
    private final List<TriggerObserver> observers;
    private final String requestIdPrefix = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    private final AtomicLong requestCounter = new AtomicLong();

    TriggerResponses(NodeIdentity node, Instance<TriggerObserver> observers) {
        this.errors = new ErrorBodies(node.id());
        this.observers = observers.stream().toList();
    }

    /** Unique per instance and cheap: a random prefix per process and a counter. */
    String nextRequestId() {
        return requestIdPrefix + '-' + Long.toHexString(requestCounter.incrementAndGet());
    }

    /** Every 401 of the trigger path names its scheme (SPEC 2), whoever chose the status. */
    private static void challenge(HttpServerResponse response, int status) {
        if (status == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
    }

    /** The answer to a refusal: status, errorCode and body from {@link Rejection}, and the headers it implies. */
    void reject(Outcome.Reject reject) {
        TriggerContext ctx = reject.context();
        Rejection rejection = reject.rejection();
        HttpServerResponse response = ctx.request().routing().response();
        if (response.ended()) {
            return;
        }
        start(ctx, response, rejection.status());
        challenge(response, rejection.status());
        if (rejection.status() == 503) {
            response.putHeader(HttpHeaders.RETRY_AFTER, "1");
        }
        String detail = reject.detail();
        switch (rejection) {
            case METHOD_NOT_ALLOWED -> {
                response.putHeader(HttpHeaders.ALLOW, ALLOW);
                if (ctx.request().method() == HttpMethod.HEAD) {
                    answered(ctx, rejection.status(), rejection.errorCode());
                    response.end();
                    return;
                }
            }
            case RATE_LIMITED -> {
                response.putHeader(HttpHeaders.RETRY_AFTER, RateLimitHeaders.retryAfter(ctx.decision()));
                detail = RateLimitHeaders.deniedDetail(ctx.token().rateLimit(), ctx.decision());
            }
            case DRAINING, BODY_TOO_LARGE -> response.putHeader(HttpHeaders.CONNECTION, "close");
            default -> {
            }
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        answered(ctx, rejection.status(), rejection.errorCode());
        response.end(errors.of(rejection, detail));
        if (rejection == Rejection.BODY_TOO_LARGE) {
            ctx.request().http().connection().close(); // the rest of the body is never read
        }
    }

    /**
     * The failure handler ahead of Quarkus's: answers {@link Rejection#NO_HOST} for a request Vert.x refused for
     * naming no host (Quarkus's handler would log an ERROR per request and answer with its own body), and passes
     * every other failure on. Not a trigger: no observer is told. The connection is closed after the answer.
     */
    void hostMissing(RoutingContext routing) {
        HttpServerResponse response = routing.response();
        if (routing.statusCode() != 400 || routing.request().authority() != null || response.ended()) {
            routing.next();
            return;
        }
        response.setStatusCode(Rejection.NO_HOST.status())
                .putHeader("X-Request-Id", nextRequestId())
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .putHeader(HttpHeaders.CONNECTION, "close");
        response.end(errors.of(Rejection.NO_HOST, null)).onComplete(done -> routing.request().connection().close());
    }

    /** The answer of a trigger that passed every stage: the script's result. */
    void scriptResult(TriggerContext ctx) {
        RoutingContext routing = ctx.request().routing();
        HttpServerResponse response = routing.response();
        if (response.ended()) {
            return;
        }
        ScriptResult result = ctx.result();
        if (result instanceof ScriptResult.Responded responded) {
            for (Map.Entry<String, List<String>> header : responded.headers().entrySet()) {
                response.putHeader(header.getKey(), header.getValue());
            }
            if (ctx.decision() == null && !responded.headers().isEmpty()) {
                // SPEC 2.2: a token without a limit gets no rate-limit headers, not even a script's
                response.headers().remove("RateLimit").remove("RateLimit-Policy");
            }
            start(ctx, response, responded.status()); // after the script's headers: ours win (X-Request-Id, RateLimit)
            challenge(response, responded.status()); // a script's 401 too (SPEC 2), whose own header is blocked
            answered(ctx, responded.status(), 0);
            response.end(Buffer.buffer(responded.body()));
        } else if (result instanceof ScriptResult.Completed) {
            start(ctx, response, 200);
            answered(ctx, 200, 0);
            response.end();
        } else if (result instanceof ScriptResult.Failure failure) {
            ScriptOutcomeCode code = failure.code();
            List<String> missing = failure instanceof ScriptResult.MissingParameters m ? m.names() : null;
            start(ctx, response, code.httpStatus());
            if (code.httpStatus() == 503) {
                response.putHeader(HttpHeaders.RETRY_AFTER, "1");
            }
            response.putHeader(HttpHeaders.CONTENT_TYPE, JSON);
            answered(ctx, code.httpStatus(), code.errorCode());
            response.end(errors.build(code.title(), failure.detail(), code.errorCode(), missing));
        }
    }

    private static void start(TriggerContext ctx, HttpServerResponse response, int status) {
        response.setStatusCode(status);
        response.headers().set("X-Request-Id", ctx.request().requestId());
        Decision decision = ctx.decision();
        if (decision != null) {
            response.headers().set("RateLimit-Policy", RateLimitHeaders.policy(ctx.token().rateLimit()));
            response.headers().set("RateLimit", RateLimitHeaders.rateLimit(decision));
        }
    }

    private void answered(TriggerContext ctx, int status, int errorCode) {
        TriggerRequest request = ctx.request();
        TriggerObserver.Answered answer = new TriggerObserver.Answered(request.requestId(), request.method().name(),
                status, errorCode, ctx.token(), ctx.slot(), ctx.definition(),
                ctx.match() == null ? null : ctx.match().pattern().template(), ctx.admitted(),
                System.nanoTime() - request.startNanos());
        for (TriggerObserver observer : observers) {
            try {
                observer.answered(answer);
            } catch (RuntimeException e) {
                LOG.errorf(e, "request %s: an observer of answered triggers failed", request.requestId());
            }
        }
    }
}
