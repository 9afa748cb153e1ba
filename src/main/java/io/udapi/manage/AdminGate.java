package io.udapi.manage;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.udapi.config.UdapiConfig;
import io.udapi.manage.AdminAuthenticator.Outcome;
import io.udapi.problem.Problem;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import io.udapi.user.Permission;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The edge of the management API and the web console (docs/security.md), in front of the REST layer and
 * before any body is read. Every decision is made on the <em>normalised</em> path, the one the router and the
 * REST layer route on ({@link RoutingContext#normalizedPath()}: unreserved percent-escapes decoded, dot
 * segments removed, repeated slashes collapsed), so {@code /%61dmin/}, {@code /x/../admin/} and {@code //admin/}
 * meet the same checks as {@code /admin/}. In order:
 * <ol>
 *   <li>with {@code udapi.admin.enabled=false} neither the API nor the console exists (404);</li>
 *   <li>console files get their security headers;</li>
 *   <li>an API body declared larger than {@link #MAX_ADMIN_BODY} is refused (413); a chunked one is read
 *       here and refused when it grows past that;</li>
 *   <li>the caller is authenticated (401, or 503 {@code AuthenticationBusy}) and authorised by
 *       {@link AdminAccess} (403): refusals are answered before the body is read, and the connection of a
 *       refused request with a body is closed, so an unauthenticated upload is never read;</li>
 *   <li>a write must be JSON (415 {@code UnsupportedMediaType}): an HTML form of another site can only send
 *       form or text media types, so this, with no CORS headers anywhere, stops cross-site request forgery
 *       by a browser that holds an admin's Basic credentials.</li>
 * </ol>
 * The authenticated {@link Caller} is left in the routing context for the resources ({@link AdminCaller}).
 */
@ApplicationScoped
public class AdminGate {

    static final long MAX_ADMIN_BODY = 1024 * 1024;
    static final String CALLER = "udapi.admin.caller";

    /**
     * The console is static files of this origin only: no inline script or style, no CDN, no framing
     * (clickjacking of the revoke button), and no form submission by the browser itself (every form is
     * handled by script, so a failed script cannot put a password into a URL).
     */
    static final String CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    private static final String API = "/admin/v1";

    private final boolean enabled;
    private final AllowedHosts hosts;
    private final AdminAuthenticator authenticator;

    AdminGate(UdapiConfig config, AdminAuthenticator authenticator) {
        this.enabled = config.admin().enabled();
        this.hosts = new AllowedHosts(config.admin().allowedHosts().orElse(List.of()));
        this.authenticator = authenticator;
    }

    /** A Quarkus HTTP filter runs before every route, including the REST layer that reads bodies. */
    void mount(@Observes Filters filters) {
        filters.register(this::check, 100);
    }

    private void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.indexOf(';') >= 0 && AdminAccess.isAdminPath(AdminAccess.withoutMatrixParameters(path))) {
            // the REST layer drops each segment's ";..." before it routes, so /admin;x/v1/users would reach
            // /admin/v1/users past a gate that saw another path: no admin path has matrix parameters (docs/security.md)
            refuse(ctx, Problems.of(Reason.NotFound, null, "no such resource"));
            return;
        }
        if (!AdminAccess.isAdminPath(path)) {
            ctx.next();
            return;
        }
        if (!enabled) {
            refuse(ctx, Problems.of(Reason.NotFound, null, "no such resource"));
            return;
        }
        if (!hosts.allows(authority(ctx.request().authority()))) {
            refuse(ctx, Problems.of(Reason.HostNotAllowed, null, "the management API does not answer under this host "
                    + "name; add it to udapi.admin.allowed-hosts (docs/security.md, \"DNS rebinding\")"));
            return;
        }
        if (path.equals("/admin")) {
            ctx.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, "/admin/").end();
            return;
        }
        if (!path.equals(API) && !path.startsWith(API + "/")) {
            consoleHeaders(ctx);
            ctx.next();
            return;
        }
        // answers carry secrets (a created or rotated token) and the admin's data: no cache keeps them
        ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        long declared = declaredLength(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH));
        if (declared > MAX_ADMIN_BODY) {
            refuse(ctx, Problems.of(Reason.PayloadTooLarge, null,
                    "the body has " + declared + " bytes; the management API accepts at most " + MAX_ADMIN_BODY));
            return;
        }
        // the REST layer also matches a literal path with one trailing slash (tokens/revoke/ is tokens/revoke)
        String relative = AdminAccess.withoutTrailingSlashes(path.length() > API.length() ? path.substring(API.length() + 1) : "");
        Context context = Vertx.currentContext();
        authenticator.authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)).whenComplete((outcome, failure) -> {
            if (context == null || Vertx.currentContext() == context) {
                decide(ctx, relative, outcome);
            } else {
                context.runOnContext(v -> decide(ctx, relative, outcome));
            }
        });
    }

    private void decide(RoutingContext ctx, String relative, Outcome outcome) {
        if (!(outcome instanceof Outcome.Authenticated authenticated)) {
            if (outcome instanceof Outcome.Throttled throttled) {
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
                refuse(ctx, Problems.of(Reason.TooManyAttempts, null, "too many sign-ins with this user name were "
                        + "verified in the last minute; retry in " + throttled.retryAfterSeconds() + " s"));
            } else if (outcome == Outcome.Refusal.BUSY) {
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
                refuse(ctx, Problems.of(Reason.AuthenticationBusy, null,
                        "too many admin sign-ins are being verified; retry in a second"));
            } else {
                unauthorized(ctx);
            }
            return;
        }
        Caller caller = authenticated.caller();
        HttpServerRequest request = ctx.request();
        if (!AdminAccess.namesACollection(relative)) {
            refuse(ctx, Problems.of(Reason.NotFound, null, "no such resource"));
            return;
        }
        Optional<Permission> permission = AdminAccess.required(request.method(), relative);
        if (permission.isPresent() && !caller.has(permission.get())) {
            refuse(ctx, Problems.of(Reason.Forbidden, null,
                    "user '" + caller.name() + "' lacks the permission " + permission.get().wireName()));
            return;
        }
        if (AdminAccess.isWrite(request.method())
                && !AdminAccess.acceptsMediaType(request.method(), request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            refuse(ctx, Problems.of(Reason.UnsupportedMediaType, null, "the body must be sent as application/json"
                    + (request.method().name().equals("PATCH") ? " or application/merge-patch+json" : "")
                    + ", not " + Optional.ofNullable(request.getHeader(HttpHeaders.CONTENT_TYPE)).orElse("no Content-Type")));
            return;
        }
        ctx.put(CALLER, caller);
        if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            readChunkedBody(ctx);
        } else {
            ctx.next();
        }
    }

    /**
     * A body sent without a declared length (chunked) is read here, up to {@link #MAX_ADMIN_BODY}, and handed
     * to the REST layer, which takes a body already read from the routing context; one that grows past the
     * limit is refused (413) at the chunk that crosses it, and its connection closed. Without this, only
     * the server's limit for trigger bodies (30 MiB) would bound it.
     */
    private static void readChunkedBody(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > MAX_ADMIN_BODY) {
                refused[0] = true;
                refuse(ctx, Problems.of(Reason.PayloadTooLarge, null,
                        "the body has more than " + MAX_ADMIN_BODY + " bytes; the management API accepts at most " + MAX_ADMIN_BODY));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(end -> {
            if (!refused[0]) {
                ((io.vertx.ext.web.impl.RoutingContextInternal) ctx).setBody(body);
                ctx.next();
            }
        });
        request.resume();
    }

    /**
     * A 401 carries the Basic challenge of docs/api.md, except for a script that says so with
     * {@code X-Requested-With: XMLHttpRequest} (the web console): browsers answer a Basic challenge to a fetch
     * with their own password prompt, which would hide the console's sign-in error.
     */
    private static void unauthorized(RoutingContext ctx) {
        if (!"XMLHttpRequest".equalsIgnoreCase(ctx.request().getHeader("X-Requested-With"))) {
            ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"udapi\"");
        }
        refuse(ctx, Problems.of(Reason.Unauthorized, null, "valid HTTP Basic credentials of an admin user are required"));
    }

    private static void consoleHeaders(RoutingContext ctx) {
        ctx.response().headers()
                .set("Content-Security-Policy", CONSOLE_CSP)
                .set("X-Frame-Options", "DENY")
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer")
                // the assets change with each release: always revalidate (the static handler answers 304)
                .set(HttpHeaders.CACHE_CONTROL, "no-cache");
    }

    /**
     * Answers with the error body of docs/api.md. A request that still has a body to send gets its connection
     * closed after the answer: the body is never read, and reading past it is the only other way to keep the
     * connection usable.
     */
    /**
     * The request's authority as {@code Host} spells it: from the {@code Host} header over HTTP/1.1 and from
     * {@code :authority} over HTTP/2, which sends no {@code Host}; null when there is none.
     */
    static String authority(io.vertx.core.net.HostAndPort authority) {
        if (authority == null) {
            return null;
        }
        String host = authority.host();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]"; // an IPv6 address, however Vert.x hands it over
        }
        return authority.port() >= 0 ? host + ":" + authority.port() : host;
    }

    private static void refuse(RoutingContext ctx, Problem problem) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("reason", problem.reason().name());
        error.put("id", null);
        error.put("message", problem.message());
        HttpServerResponse response = ctx.response().setStatusCode(ProblemStatus.of(problem.reason()))
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        boolean unreadBody = hasBody(ctx.request()) && !ctx.request().isEnded();
        if (unreadBody) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        Future<Void> sent = response.end(Buffer.buffer(Json.encode(Map.of("errors", List.of(error)))));
        if (unreadBody) {
            sent.onComplete(done -> ctx.request().connection().close());
        }
    }

    private static boolean hasBody(HttpServerRequest request) {
        return declaredLength(request.getHeader(HttpHeaders.CONTENT_LENGTH)) > 0
                || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    private static long declaredLength(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
