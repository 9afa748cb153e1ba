package io.udapi.script;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The sidecar engine (SPEC 2.4 "http"): {@code POST {base}/scripts/{name}/on-api-trigger} and
 * {@code POST {base}/scripts/{name}/run} through a non-blocking Vert.x {@link HttpClient}.
 *
 * <p>Threads: everything runs on the caller's Vert.x context (an event loop); nothing blocks. Large
 * outputs (over 256 KiB) are parsed on a worker thread. Concurrency is bounded by an
 * {@link AsyncLimiter} ({@code maxConcurrency} running, {@code maxQueue} waiting, then
 * {@link ScriptResult.Busy}); connections by a keep-alive pool of {@code maxConnections}. One deadline
 * ({@code timeout}, from submission) covers queueing, connecting and the whole response; connect and
 * idle timeouts are set to what is left of it. Response bodies are accumulated only up to their limit:
 * past it the stream is reset. TLS (an {@code https} base URL) verifies the certificate and host name
 * against the JVM trust store; trust-all is never used.
 */
public final class HttpScriptEngine implements ScriptEngine {
    private static final Logger LOG = Logger.getLogger(HttpScriptEngine.class);
    /** Bodies of other answers (404, 500, ...) are read this far for the log, then the stream is reset. */
    static final int DISCARD_LIMIT = 64 * 1024;
    /** Largest 422 body with {@code missingParameters}. */
    static final int MISSING_PARAMETERS_LIMIT = 1024 * 1024;
    /** Outputs above this are parsed on a worker thread, not the event loop. */
    static final int INLINE_PARSE_LIMIT = 256 * 1024;
    private static final int KEEP_ALIVE_SECONDS = 60;

    private final Vertx vertx;
    private final URI base;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String basePath;
    private final ScriptLimits limits;
    private final ScriptOutputParser parser;
    private final HttpClient client;
    private final AsyncLimiter limiter;
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean closed;

    /**
     * @param baseUrl        {@code udapi.http-engine.url}: http or https, optional path prefix, no query
     * @param maxConnections {@code udapi.http-engine.max-connections}, default 64
     */
    public HttpScriptEngine(Vertx vertx, URI baseUrl, int maxConnections, ScriptLimits limits, ScriptOutputParser parser) {
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("udapi.http-engine.url must be an http or https URL: " + baseUrl);
        }
        if (baseUrl.getHost() == null || baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("udapi.http-engine.url needs a host and no query or fragment: " + baseUrl);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("udapi.http-engine.max-connections must be >= 1: " + maxConnections);
        }
        this.vertx = vertx;
        this.base = baseUrl;
        this.ssl = scheme.equals("https");
        this.host = baseUrl.getHost();
        this.port = baseUrl.getPort() > 0 ? baseUrl.getPort() : (ssl ? 443 : 80);
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.limits = limits;
        this.parser = parser;
        HttpClientOptions options = new HttpClientOptions()
                .setName("udapi-http-engine")
                .setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, limits.timeout().toMillis()))
                .setSsl(ssl)
                .setTrustAll(false)
                .setVerifyHost(true)
                .setDefaultHost(host)
                .setDefaultPort(port);
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(maxConnections));
        this.limiter = new AsyncLimiter(limits.maxConcurrency(), limits.maxQueue());
    }

    @Override
    public CompletionStage<ScriptResult> onApiTrigger(String scriptName, byte[] inputJson) {
        return call(scriptName, "on-api-trigger", Buffer.buffer(inputJson), this::onTriggerResponse);
    }

    @Override
    public CompletionStage<ScriptResult> run(String scriptName, Map<String, String> parameters) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(Map.of("parameters", parameters));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
        return call(scriptName, "run", Buffer.buffer(body), this::onRunResponse);
    }

    @Override
    public int queueDepth() {
        return limiter.queueDepth();
    }

    /** Path of {@code action} for {@code scriptName}, the name percent-encoded as one segment. */
    String pathOf(String scriptName, String action) {
        return basePath + "/scripts/" + encodeSegment(scriptName) + "/" + action;
    }

    private interface ResponseHandler {
        void handle(String name, HttpClientResponse response, CompletableFuture<ScriptResult> result);
    }

    private CompletionStage<ScriptResult> call(String name, String action, Buffer body, ResponseHandler handler) {
        if (closed) {
            return CompletableFuture.completedFuture(new ScriptResult.NotReady("The script engine is shutting down."));
        }
        if (ScriptName.validate(name).isPresent()) {
            return CompletableFuture.completedFuture(new ScriptResult.NotFound(name));
        }
        Context current = Vertx.currentContext();
        Context context = current != null ? current : vertx.getOrCreateContext();
        CompletableFuture<ScriptResult> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + limits.timeout().toNanos();
        String path = pathOf(name, action);
        boolean accepted = limiter.offer(release -> context.runOnContext(v -> {
            result.whenComplete((r, e) -> release.run());
            send(context, name, path, body, deadline, handler, result);
        }));
        if (!accepted) {
            return CompletableFuture.completedFuture(new ScriptResult.Busy());
        }
        return result;
    }

    /** On {@code context}. */
    private void send(Context context, String name, String path, Buffer body, long deadline, ResponseHandler handler,
                      CompletableFuture<ScriptResult> result) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (closed) {
            result.complete(new ScriptResult.NotReady("The script engine is shutting down."));
            return;
        }
        if (remaining <= 0) {
            result.complete(new ScriptResult.TimedOut(limits.timeout()));
            return;
        }
        AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        long timer = vertx.setTimer(remaining, id -> {
            if (result.complete(new ScriptResult.TimedOut(limits.timeout()))) {
                LOG.warnf("Script %s: no complete answer from %s within %d ms", name, base, limits.timeout().toMillis());
                HttpClientRequest r = request.get();
                if (r != null) {
                    r.reset();
                }
            }
        });
        result.whenComplete((r, e) -> vertx.cancelTimer(timer));
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(host)
                .setPort(port)
                .setSsl(ssl)
                .setURI(path)
                .setConnectTimeout(remaining)
                .setIdleTimeout(remaining)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.ACCEPT, "application/json");
        client.request(options).onComplete(created -> {
            if (created.failed()) {
                fail(name, result, created.cause());
                return;
            }
            HttpClientRequest r = created.result();
            request.set(r);
            if (result.isDone()) {
                r.reset();
                return;
            }
            r.send(body).onComplete(answered -> {
                if (answered.failed()) {
                    fail(name, result, answered.cause());
                } else if (!result.isDone()) {
                    handler.handle(name, answered.result(), result);
                }
            });
        });
    }

    private void onTriggerResponse(String name, HttpClientResponse response, CompletableFuture<ScriptResult> result) {
        switch (response.statusCode()) {
            case 200 -> readBody(name, response, limits.maxOutputBytes(), result, this::parseOutput,
                    new ScriptResult.OutputTooLarge("output", limits.maxOutputBytes()));
            case 404 -> discard(name, response, result, new ScriptResult.NotFound(name));
            default -> discard(name, response, result, failed(name, response.statusCode()));
        }
    }

    private void onRunResponse(String name, HttpClientResponse response, CompletableFuture<ScriptResult> result) {
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
    private void fail(String name, CompletableFuture<ScriptResult> result, Throwable e) {
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

    /** RFC 3986 path segment: every byte outside the unreserved set is percent-encoded. */
    static String encodeSegment(String segment) {
        StringBuilder sb = new StringBuilder(segment.length());
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** New calls answer {@link ScriptResult.NotReady}; open connections are closed (runs in flight fail as 1001). */
    @Override
    public void close() {
        closed = true;
        client.close();
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
