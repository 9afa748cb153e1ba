package io.udapi.trigger;

import io.udapi.auth.AuthResult;
import io.udapi.auth.TokenAuthenticator;
import io.udapi.config.NodeIdentity;
import io.udapi.config.UdapiConfig;
import io.udapi.definition.ActionType;
import io.udapi.definition.ApiDefinition;
import io.udapi.definition.InputType;
import io.udapi.lifecycle.GracefulShutdown;
import io.udapi.limit.Decision;
import io.udapi.limit.LimiterKey;
import io.udapi.limit.RateLimiterRegistry;
import io.udapi.registry.Registry;
import io.udapi.route.Ascii;
import io.udapi.route.RequestPath;
import io.udapi.route.RouteMatch;
import io.udapi.script.ScriptEngine;
import io.udapi.script.ScriptLimits;
import io.udapi.script.ScriptResult;
import io.udapi.secret.SecretDigest;
import io.udapi.token.RateLimit;
import io.udapi.token.SourceRanges;
import io.udapi.usage.UsageRecorder;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * {@code /api/custom/{route}}: the checks of SPEC 2 in the order of its table, on the event loop.
 * <pre>
 *   method → route present → URL lengths → Authorization → secret (cache | Argon2 off-loop)
 *          → source address → route match → token allowed → rate limit → Content-Type → body size
 *          → parameters → script
 * </pre>
 * The first failing check answers. Each step either answers or calls the next one; the two asynchronous
 * steps (Argon2 on a cache miss, the script run) hop back to the request's context before continuing,
 * so all state of an {@link Exchange} is touched by one thread at a time.
 */
@ApplicationScoped
public class TriggerHandler implements Handler<RoutingContext> {

    static final String PREFIX = "/api/custom";
    private static final Logger LOG = Logger.getLogger(TriggerHandler.class);
    private static final Set<HttpMethod> METHODS = Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH, HttpMethod.DELETE);
    private static final int MAX_CACHED_POLICIES = 4096;
    /** {@code RateLimit-Policy} values by limit (a value type, so one map serves every handler). */
    private static final ConcurrentHashMap<RateLimit, String> POLICIES = new ConcurrentHashMap<>();
    private static final Set<String> MEDIA_TYPES = Set.of("application/json", "application/xml", "text/xml", "text/plain");

    private final TokenAuthenticator auth;
    private final Registry registry;
    private final RateLimiterRegistry<LimiterKey> limiters;
    private final ScriptEngine engine;
    private final TriggerResponses responses;
    private final GracefulShutdown shutdown;
    private final UsageRecorder usage;
    private final SourceAddress sources;
    private final String nodeId;
    private final int maxUrlLength;
    private final int maxQueryLength;
    private final long maxBodyBytes;

    TriggerHandler(TokenAuthenticator auth, Registry registry, RateLimiterRegistry<LimiterKey> limiters,
                   ScriptEngine engine, TriggerResponses responses, GracefulShutdown shutdown, NodeIdentity node,
                   UdapiConfig config, UsageRecorder usage, SourceAddress sources) {
        this.shutdown = shutdown;
        this.usage = usage;
        this.sources = sources;
        this.auth = auth;
        this.registry = registry;
        this.limiters = limiters;
        this.engine = engine;
        this.responses = responses;
        this.nodeId = node.id();
        this.maxUrlLength = config.limits().maxUrlLength();
        this.maxQueryLength = config.limits().maxQueryLength();
        this.maxBodyBytes = ScriptLimits.maxBodyBytes(config);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String rawPath = request.path();
        // Route on the path the router matched this handler on (dot segments removed, unreserved escapes decoded,
        // slashes collapsed), as every other check of udapi does: one spelling, one meaning (docs/security.md).
        String path = ctx.normalizedPath();
        if (path.length() > PREFIX.length() && path.charAt(PREFIX.length()) != '/') {
            ctx.next(); // e.g. /api/customers: not a trigger
            return;
        }
        request.pause(); // the body is read only once every check before it has passed
        Exchange ex = new Exchange(ctx, Vertx.currentContext(), responses.nextRequestId(), System.nanoTime());
        if (shutdown.isDraining()) {
            responses.reject(ex, Rejection.DRAINING, null);
            return;
        }
        if (!METHODS.contains(request.method())) {
            responses.methodNotAllowed(ex);
            return;
        }
        ex.path = RequestPath.of(path.substring(PREFIX.length()));
        if (ex.path.isEmpty()) {
            responses.reject(ex, Rejection.EMPTY_ROUTE, null);
            return;
        }
        int pathBytes = utf8Length(rawPath);
        String query = request.query();
        int queryBytes = query == null ? 0 : utf8Length(query);
        if (pathBytes > maxUrlLength || queryBytes > maxQueryLength) {
            responses.reject(ex, Rejection.URI_TOO_LONG, pathBytes > maxUrlLength
                    ? "The path has " + pathBytes + " bytes; at most " + maxUrlLength + " are allowed."
                    : "The query string has " + queryBytes + " bytes; at most " + maxQueryLength + " are allowed.");
            return;
        }
        String secret = bearerSecret(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (secret == null) {
            responses.reject(ex, Rejection.AUTHORIZATION_MISSING, null);
            return;
        }
        SecretDigest digest = auth.digest(secret);
        AuthResult known = auth.tryWithoutArgon2(secret, digest);
        if (known != null) {
            authenticated(ex, known);
            return;
        }
        CompletionStage<AuthResult> verified = auth.verify(secret, digest);
        verified.whenComplete((result, failure) -> ex.context.runOnContext(v -> {
            if (failure != null) {
                LOG.errorf(failure, "secret verification failed for request %s", ex.requestId);
            }
            authenticated(ex, failure != null ? AuthResult.INVALID : result);
        }));
    }

    /**
     * The {@code <secret>} of {@code Bearer <secret>}, or null when the header is absent or of another form.
     * The scheme compares ASCII letters ignoring case only ({@link Ascii}), as RFC 9110 defines it.
     */
    static String bearerSecret(String authorization) {
        if (authorization == null || authorization.length() <= 7 || !Ascii.startsWithIgnoreCase(authorization, "Bearer ")) {
            return null;
        }
        String secret = authorization.substring(7).trim();
        return secret.isEmpty() ? null : secret;
    }

    private void authenticated(Exchange ex, AuthResult result) {
        if (result instanceof AuthResult.Busy) {
            responses.reject(ex, Rejection.AUTHENTICATION_BUSY, null);
            return;
        }
        if (!(result instanceof AuthResult.Authenticated authenticated)) {
            responses.reject(ex, Rejection.INVALID_TOKEN, null);
            return;
        }
        ex.token = authenticated.token();
        ex.slot = authenticated.slot();
        // Part of check 5 (docs/tokens.md, "Source ranges"): a token used from outside its ranges is not valid
        // there, so it gets the same answer as an unknown secret, before the route match: a stolen secret
        // used from elsewhere learns nothing, not even which routes exist. Before the limiter: no admission.
        SourceRanges ranges = ex.token.allowedSourceRanges();
        if (ranges != null && !fromAllowedSource(ex, ranges)) {
            responses.reject(ex, Rejection.INVALID_TOKEN, null);
            return;
        }
        RouteMatch<ApiDefinition> match = registry.definitions().routes().match(ex.path).orElse(null);
        if (match == null) {
            responses.reject(ex, Rejection.ROUTE_NOT_FOUND, null);
            return;
        }
        ex.match = match;
        // same answer as an unknown secret: a caller must not learn that the token exists
        if (!match.value().allowedTokens().contains(ex.token.id())) {
            responses.reject(ex, Rejection.INVALID_TOKEN, null);
            return;
        }
        if (!admitted(ex)) {
            return; // a 429 is not an admission: it leaves lastUsedAt alone (docs/tokens.md, "Usage")
        }
        ex.admitted = true;
        usage.admitted(ex.token.id(), ex.slot);
        HttpServerRequest request = ex.ctx.request();
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String contentLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean mayHaveBody = request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                || (contentLength != null && !contentLength.trim().equals("0"));
        if (contentType != null ? !MEDIA_TYPES.contains(mediaType(contentType)) : mayHaveBody) {
            responses.reject(ex, Rejection.UNSUPPORTED_MEDIA_TYPE, null);
            return;
        }
        long declared = parseLength(contentLength);
        if (declared > maxBodyBytes) {
            responses.bodyTooLarge(ex, maxBodyBytes);
            return;
        }
        readBody(ex);
    }

    /** Whether the request's source address lies in the token's ranges; an unknown source never does. */
    private boolean fromAllowedSource(Exchange ex, SourceRanges ranges) {
        String source = sources.of(ex.ctx.request());
        return source != null && ranges.allows(source);
    }

    /** Check 8; also fixes the rate-limit headers every later answer carries. */
    private boolean admitted(Exchange ex) {
        RateLimit limit = ex.token.rateLimit();
        if (limit == null) {
            return true;
        }
        Decision decision = limiters.tryAcquire(new LimiterKey(ex.token.id(), ex.definition().id()), limit.limit(),
                limit.window().toNanos());
        ex.rateLimitPolicy = policyHeader(limit);
        if (decision.allowed()) {
            ex.rateLimit = "\"default\";r=" + decision.remaining() + ";t=" + decision.resetSeconds();
            return true;
        }
        long retryAfter = decision.retryAfterSeconds();
        ex.rateLimit = "\"default\";r=0;t=" + retryAfter;
        responses.rateLimited(ex, limit, retryAfter);
        return false;
    }

    /**
     * The {@code RateLimit-Policy} value of a limit, built once per distinct limit rather than per request.
     * Limits are few (one per token at most); the cap only guards against unbounded growth.
     */
    static String policyHeader(RateLimit limit) {
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

    /** What {@code s.getBytes(UTF_8).length} answers (an unpaired surrogate becomes one {@code ?}), without the copy. */
    static int utf8Length(String s) {
        int length = s.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // 4 bytes for the 2 chars of the pair
                i++;
            } else if (Character.isSurrogate(c)) {
                // unpaired: encoded as '?', one byte
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    private void readBody(Exchange ex) {
        HttpServerRequest request = ex.ctx.request();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (ex.answered) {
                return;
            }
            if (body.length() + chunk.length() > maxBodyBytes) {
                responses.bodyTooLarge(ex, maxBodyBytes); // stops reading: the rest is never buffered
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(failure -> {
            if (!ex.answered) {
                LOG.debugf("request %s body failed: %s", ex.requestId, failure.getMessage());
                responses.reject(ex, Rejection.UNEXPECTED, null);
            }
        });
        request.endHandler(v -> {
            if (!ex.answered) {
                execute(ex, body.getBytes());
            }
        });
        request.resume();
    }

    private void execute(Exchange ex, byte[] body) {
        ApiDefinition definition = ex.definition();
        String script = definition.actionMeta().scriptName();
        boolean wantsParameters = definition.actionType() == ActionType.AutomationScriptNoEntryPoint
                || definition.actionMeta().inputType() == InputType.Parameters;
        Map<String, String> parameters = Map.of();
        if (wantsParameters) {
            FlatParameters.Parsed parsed = FlatParameters.parse(body);
            if (!parsed.ok()) {
                responses.reject(ex, Rejection.INVALID_PARAMETERS, parsed.problem());
                return;
            }
            parameters = parsed.parameters();
        }
        CompletionStage<ScriptResult> run;
        try {
            if (definition.actionType() == ActionType.AutomationScriptNoEntryPoint) {
                run = engine.run(script, parameters);
            } else {
                HttpServerRequest request = ex.ctx.request();
                byte[] input = TriggerInput.build(request.method().name(), ex.path.route(), ex.match, body, parameters,
                        QueryString.parse(request.query()), ex.token, ex.requestId, nodeId);
                run = engine.onApiTrigger(script, input);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "request %s: the script could not be started", ex.requestId);
            responses.reject(ex, Rejection.UNEXPECTED, null);
            return;
        }
        Context context = ex.context;
        run.whenComplete((result, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                LOG.errorf(failure, "request %s: the script engine failed", ex.requestId);
                responses.reject(ex, Rejection.UNEXPECTED, null);
            } else {
                responses.scriptResult(ex, result);
            }
        }));
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static long parseLength(String contentLength) {
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
