package io.udapi.trigger;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Body: within {@code udapi.limits.max-body-size} (413/1009), refused from its {@code Content-Length} before a
 * byte is read, or as soon as the chunks read exceed it (the rest is never buffered). The request has been
 * paused since it arrived (docs/architecture.md: nothing reads a body that a cheaper check would refuse); this
 * stage resumes it and completes once the body has ended, or answers 408/1 and closes the connection when the
 * whole body has not arrived within {@code udapi.limits.body-timeout}. The body's bytes are held in a share of
 * {@link BodyMemory} (declared length up front, else chunk by chunk) until the response ends; a body that does not
 * fit answers 503/1006. Adds the body and the share.
 */
final class BodyStage implements Stage {

    private static final Logger LOG = Logger.getLogger(BodyStage.class);

    private final long maxBodyBytes;
    private final long timeoutMillis;
    private final BodyMemory memory;

    BodyStage(long maxBodyBytes, java.time.Duration timeout, BodyMemory memory) {
        this.maxBodyBytes = maxBodyBytes;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
        this.memory = memory;
    }

    @Override
    public Name name() {
        return Name.BODY;
    }

    @Override
    public Outcome apply(TriggerContext ctx) {
        HttpServerRequest request = ctx.request().http();
        long declared = declaredLength(request.getHeader(HttpHeaders.CONTENT_LENGTH));
        if (declared > maxBodyBytes) {
            return tooLarge(ctx);
        }
        // the end handler runs once the response is written, and also when the connection is gone before it
        BodyMemory.Share share = memory.share(held -> ctx.request().routing().addEndHandler(ended -> held.release()));
        if (!share.tryAdd(declared)) {
            return memoryBusy(ctx);
        }
        // the handlers all run on the request's event loop, so the buffer and the future need no guard; the
        // future's completion is the one "answered" flag: chunks after it are dropped
        CompletableFuture<Outcome> read = new CompletableFuture<>();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (read.isDone()) {
                return;
            }
            long length = body.length() + (long) chunk.length();
            if (length > maxBodyBytes) {
                read.complete(tooLarge(ctx));
                return;
            }
            if (length > declared && !share.tryAdd(length - Math.max(declared, body.length()))) {
                read.complete(memoryBusy(ctx)); // a chunked body (or one longer than it declared) past the budget
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(failure -> {
            if (!read.isDone()) {
                LOG.debugf("request %s body failed: %s", ctx.request().requestId(), failure.getMessage());
                read.complete(ctx.reject(Rejection.UNEXPECTED));
            }
        });
        request.endHandler(v -> read.complete(ctx.withBody(body.getBytes(), share)));
        // a body trickled in slowly must not hold the connection and its admission: the timer runs on the
        // request's event loop, like the handlers above
        io.vertx.core.Vertx vertx = ctx.request().context().owner();
        long timer = vertx.setTimer(timeoutMillis, id -> {
            if (!read.isDone()) {
                request.response().putHeader(HttpHeaders.CONNECTION, "close");
                read.complete(ctx.reject(Rejection.BODY_TIMEOUT,
                        "The body did not arrive within " + timeoutMillis / 1000.0 + " s."));
            }
        });
        read.whenComplete((outcome, failure) -> vertx.cancelTimer(timer));
        request.resume();
        return new Outcome.Await(read);
    }

    private static Outcome memoryBusy(TriggerContext ctx) {
        return ctx.reject(Rejection.BODY_MEMORY_BUSY);
    }

    private Outcome tooLarge(TriggerContext ctx) {
        return ctx.reject(Rejection.BODY_TOO_LARGE, "The body exceeds " + maxBodyBytes + " bytes.");
    }

    private static long declaredLength(String contentLength) {
        if (contentLength == null) {
            return 0;
        }
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return 0; // Vert.x already refuses a malformed Content-Length
        }
    }
}
