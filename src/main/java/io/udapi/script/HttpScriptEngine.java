package io.udapi.script;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udapi.admission.Admission;
import io.udapi.admission.Ticket;
import io.udapi.limit.NanoClock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The sidecar engine (docs/scripts.md, "The http engine"): {@code POST {base}/scripts/{name}/on-api-trigger} and
 * {@code POST {base}/scripts/{name}/run} through a non-blocking Vert.x {@link HttpClient}.
 *
 * <p>Threads: everything runs on the caller's Vert.x context (an event loop); nothing blocks. Large
 * outputs (over 256 KiB) are parsed on a worker thread ({@link HttpAnswers}, which turns responses into
 * results). Concurrency is bounded by an {@link Admission} ({@code maxConcurrency} running, {@code maxQueue}
 * waiting, then {@link ScriptResult.Busy}); a call holds its permit until its result is known. Connections are
 * bounded by a keep-alive pool of {@code maxConnections}. One deadline
 * ({@code timeout}, from submission) covers queueing, connecting and the whole response; the connect timeout is
 * set to what is left of it. Response bodies are accumulated only up to their limit:
 * past it the stream is reset. TLS (an {@code https} base URL) verifies the certificate and host name
 * against the JVM trust store; trust-all is never used.
 */
public final class HttpScriptEngine implements ScriptEngine {
    private static final Logger LOG = Logger.getLogger(HttpScriptEngine.class);
    private static final int KEEP_ALIVE_SECONDS = 60;

    private final Vertx vertx;
    private final URI base;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String basePath;
    private final ScriptLimits limits;
    private final HttpAnswers answers;
    private final HttpClient client;
    /** Tasks are "send this call once you hold a permit"; the starter just runs them. */
    private final Admission<Consumer<Admission.Permit>> admission;
    private final NanoClock clock;
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean closed;

    /**
     * @param baseUrl        {@code udapi.http-engine.url}: http or https, optional path prefix, no query
     * @param maxConnections {@code udapi.http-engine.max-connections}, default 64
     */
    public HttpScriptEngine(Vertx vertx, URI baseUrl, int maxConnections, ScriptLimits limits, ScriptOutputParser parser) {
        this(vertx, baseUrl, maxConnections, limits, parser, NanoClock.SYSTEM);
    }

    /** @param clock the deadlines' time source ({@link NanoClock#SYSTEM} but in tests) */
    public HttpScriptEngine(Vertx vertx, URI baseUrl, int maxConnections, ScriptLimits limits, ScriptOutputParser parser,
                            NanoClock clock) {
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
        this.clock = clock;
        this.answers = new HttpAnswers(baseUrl, limits, parser);
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
        this.admission = new Admission<>(limits.maxConcurrency(), limits.maxQueue(), Consumer::accept);
    }

    @Override
    public CompletionStage<ScriptResult> onApiTrigger(String scriptName, byte[] inputJson) {
        return call(scriptName, "on-api-trigger", Buffer.buffer(inputJson), null, answers::onTriggerResponse);
    }

    @Override
    public CompletionStage<ScriptResult> run(String scriptName, Map<String, String> parameters, String requestId) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(Map.of("parameters", parameters));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
        return call(scriptName, "run", Buffer.buffer(body), requestId, answers::onRunResponse);
    }

    @Override
    public int queueDepth() {
        return admission.queued();
    }

    /** Path of {@code action} for {@code scriptName}, the name percent-encoded as one segment. */
    String pathOf(String scriptName, String action) {
        return basePath + "/scripts/" + encodeSegment(scriptName) + "/" + action;
    }

    /** @param requestId sent as {@code X-Request-Id} (a Run's; an OnApiTrigger input carries its own), or null */
    private CompletionStage<ScriptResult> call(String name, String action, Buffer body, String requestId,
                                                HttpAnswers.Handler handler) {
        if (closed) {
            return CompletableFuture.completedFuture(new ScriptResult.NotReady("The script engine is shutting down."));
        }
        if (ScriptName.validate(name).isPresent()) {
            return CompletableFuture.completedFuture(new ScriptResult.NotFound(name));
        }
        Context current = Vertx.currentContext();
        Context context = current != null ? current : vertx.getOrCreateContext();
        CompletableFuture<ScriptResult> result = new CompletableFuture<>();
        long deadline = clock.nanoTime() + limits.timeout().toNanos();
        String path = pathOf(name, action);
        Ticket ticket = admission.tryEnter(permit -> context.runOnContext(v -> {
            // the permit is held until the result is known, whichever way (answer, timeout, failure)
            result.whenComplete((r, e) -> permit.release());
            send(context, name, path, body, requestId, deadline, handler, result);
        }));
        if (ticket instanceof Ticket.Busy) {
            return CompletableFuture.completedFuture(new ScriptResult.Busy());
        }
        return result;
    }

    /** On {@code context}. */
    private void send(Context context, String name, String path, Buffer body, String requestId, long deadline,
                      HttpAnswers.Handler handler, CompletableFuture<ScriptResult> result) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - clock.nanoTime());
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
                .setConnectTimeout(remaining)    // no idle timeout: the deadline's timer covers the whole call, and a
                                                 // second timer per call cost 3 % of a trigger (bench/RESULTS.md §11)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.ACCEPT, "application/json");
        if (requestId != null) {
            options.putHeader("X-Request-Id", requestId);
        }
        client.request(options).onComplete(created -> {
            if (created.failed()) {
                answers.fail(name, result, created.cause());
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
                    answers.fail(name, result, answered.cause());
                } else if (!result.isDone()) {
                    handler.handle(name, answered.result(), result);
                }
            });
        });
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
}
