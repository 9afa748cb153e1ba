package io.udapi.script;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * How the {@link HttpScriptEngine} turns the sidecar's answers into results (docs/scripts.md, "The http
 * engine"): 200 with the output, 404, 422 with {@code missingParameters}, anything else a failure; and transport
 * failures into {@link ScriptResult.TimedOut} or {@link ScriptResult.Unreachable}.
 *
 * <p>Threads: on the call's Vert.x context, as the engine; outputs over {@link #INLINE_PARSE_LIMIT} are parsed on
 * a worker thread. Response bodies are accumulated only up to their limit: past it the stream is reset. Every
 * method completes the given result at most once and leaves it alone when it is already known.
 */
final class HttpAnswers {
    private static final Logger LOG = Logger.getLogger(HttpAnswers.class);
    /** Bodies of other answers (404, 500, ...) are read this far for the log, then the stream is reset. */
    static final int DISCARD_LIMIT = 64 * 1024;
    /** Largest 422 body with {@code missingParameters}. */
    static final int MISSING_PARAMETERS_LIMIT = 1024 * 1024;
    /** Outputs above this are parsed on a worker thread, not the event loop. */
    static final int INLINE_PARSE_LIMIT = 256 * 1024;

    /** Reads one answer of the engine into a result. */
    interface Handler {
        void handle(String name, HttpClientResponse response, CompletableFuture<ScriptResult> result);
    }

    private final URI base;
    private final ScriptLimits limits;
    private final ScriptOutputParser parser;
    private final ObjectMapper json = new ObjectMapper();

    HttpAnswers(URI base, ScriptLimits limits, ScriptOutputParser parser) {
        this.base = base;
        this.limits = limits;
        this.parser = parser;
    }

    void onTriggerResponse(String name, HttpClientResponse response, CompletableFuture<ScriptResult> result) {
        switch (response.statusCode()) {
            case 200 -> readBody(name, response, limits.maxOutputBytes(), result, this::parseOutput,
                    new ScriptResult.OutputTooLarge("output", limits.maxOutputBytes()));
            case 404 -> discard(name, response, result, new ScriptResult.NotFound(name));
            default -> discard(name, response, result, failed(name, response.statusCode()));
        }
    }

    void onRunResponse(String name, HttpClientResponse response, CompletableFuture<ScriptResult> result) {
        switch (response.statusCode()) {
            case 200 -> discard(name, response, result, new ScriptResult.Completed());
            case 404 -> discard(name, response, result, new ScriptResult.NotFound(name));
            case 422 -> readBody(name, response, MISSING_PARAMETERS_LIMIT, result,
                    body -> CompletableFuture.completedFuture(missingParameters(name, body)),
                    failed(name, 422));
            default -> discard(name, response, result, failed(name, response.statusCode()));
        }
    }

    private static ScriptResult failed(String name, int status) {
        return new ScriptResult.Failed("Script '" + name + "' failed (the engine answered " + status + ").");
    }

    /** Reads the body (for the log), at most {@link #DISCARD_LIMIT}, then answers {@code outcome}. */
    private void discard(String name, HttpClientResponse response, CompletableFuture<ScriptResult> result,
                         ScriptResult outcome) {
        readBody(name, response, DISCARD_LIMIT, result, body -> {
            if (outcome instanceof ScriptResult.Failed && body.length() > 0) {
                LOG.warnf("Script %s failed, engine answered %d: %s", name, response.statusCode(),
                        BoundedText.of(body.getBytes(0, Math.min(body.length(), 4096))));
            }
            return CompletableFuture.completedFuture(outcome);
        }, outcome);
    }

    /**
     * Accumulates the body up to {@code limit} bytes (checked against Content-Length first, then as chunks
     * arrive); past the limit the stream is reset and {@code tooLarge} answers.
     */
    private void readBody(String name, HttpClientResponse response, long limit, CompletableFuture<ScriptResult> result,
                          Function<Buffer, CompletionStage<ScriptResult>> onBody, ScriptResult tooLarge) {
        // Set first: resets below (ours) and the deadline's reset surface here once the result is known.
        response.exceptionHandler(e -> fail(name, result, e));
        String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limit) {
                    result.complete(tooLarge);
                    response.request().reset();
                    return;
                }
            } catch (NumberFormatException e) {
                // let the chunks decide
            }
        }
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (result.isDone()) {
                return;
            }
            if ((long) body.length() + chunk.length() > limit) {
                result.complete(tooLarge);
                response.request().reset();
                return;
            }
            body.appendBuffer(chunk);
        });
        response.endHandler(v -> {
            if (result.isDone()) {
                return;
            }
            try {
                onBody.apply(body).whenComplete((r, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(r);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }

    private CompletionStage<ScriptResult> parseOutput(Buffer body) {
        if (body.length() <= INLINE_PARSE_LIMIT) {
            return CompletableFuture.completedFuture(parser.parse(body.getBytes()));
        }
        Context context = Vertx.currentContext();
        return context.executeBlocking(() -> parser.parse(new ByteBufInputStream(body.getByteBuf())), false)
                .toCompletionStage();
    }

    private ScriptResult missingParameters(String name, Buffer body) {
        try {
            JsonNode names = json.readTree(body.getBytes()).get("missingParameters");
            if (names != null && names.isArray()) {
                List<String> missing = new ArrayList<>();
                for (JsonNode n : names) {
                    if (!n.isTextual()) {
                        throw new IllegalArgumentException("not a string");
                    }
                    missing.add(n.asText());
                }
                return new ScriptResult.MissingParameters(missing);
            }
        } catch (Exception e) {
            // falls through: a 422 without the agreed body is a failed run
        }
        LOG.warnf("Script %s: engine answered 422 without a missingParameters list of strings", name);
        return failed(name, 422);
    }

    /** Completes {@code result} with the transport failure {@code e}, unless it is already known (then {@code e} is our own reset). */
    void fail(String name, CompletableFuture<ScriptResult> result, Throwable e) {
        if (!result.isDone()) {
            result.complete(failure(name, e));
        }
    }

    private ScriptResult failure(String name, Throwable e) {
        if (e instanceof TimeoutException || e instanceof ConnectTimeoutException) {
            LOG.warnf("Script %s: the engine at %s timed out: %s", name, base, e.getMessage());
            return new ScriptResult.TimedOut(limits.timeout());
        }
        LOG.warnf("Script %s: the engine at %s cannot be reached: %s", name, base, e.toString());
        return new ScriptResult.Unreachable("The script engine cannot be reached.");
    }

    /** Log-safe text of a few bytes. */
    private static final class BoundedText {
        static String of(byte[] bytes) {
            BoundedOutput.Tail tail = new BoundedOutput.Tail(bytes.length);
            tail.drainQuietly(new java.io.ByteArrayInputStream(bytes));
            return tail.text();
        }
    }
}
