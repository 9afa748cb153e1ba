package io.udapi.manage;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.udapi.config.UdapiConfig;
import io.udapi.problem.Problem;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In front of the management API and the web console, before the REST layer reads any body: with
 * {@code udapi.admin.enabled=false} neither exists (e.g. on public-facing instances), and a body
 * declared larger than {@link #MAX_ADMIN_BODY} is refused before it is read (admin objects are small;
 * the 29 MiB limit is for triggers). Console pages get their security headers here.
 */
@ApplicationScoped
public class AdminGate {

    static final long MAX_ADMIN_BODY = 1024 * 1024;

    /**
     * The console is static files of this origin only: no inline script or style, no CDN, no framing
     * (clickjacking of the revoke button), and no form submission by the browser itself (every form is
     * handled by script, so a failed script cannot put a password into a URL).
     */
    static final String CONSOLE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    private static final String API_PREFIX = "/admin/v1/";

    private final boolean enabled;

    AdminGate(UdapiConfig config) {
        this.enabled = config.admin().enabled();
    }

    /** A Quarkus HTTP filter runs before every route, including the REST layer that reads bodies. */
    void mount(@Observes Filters filters) {
        filters.register(this::check, 100);
    }

    private void check(RoutingContext ctx) {
        String path = ctx.request().path();
        if (!path.startsWith("/admin/") && !path.equals("/admin")) {
            ctx.next();
            return;
        }
        if (!enabled) {
            refuse(ctx, Problems.of(Reason.NotFound, null, "no such resource"));
            return;
        }
        if (path.equals("/admin")) {
            ctx.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, "/admin/").end();
            return;
        }
        if (!path.startsWith(API_PREFIX) && !path.equals("/admin/v1")) {
            consoleHeaders(ctx);
        }
        long declared = declaredLength(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH));
        if (declared > MAX_ADMIN_BODY) {
            // the unread body makes the connection unusable: answer, then close it
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            refuse(ctx, Problems.of(Reason.PayloadTooLarge, null,
                    "the body has " + declared + " bytes; the management API accepts at most " + MAX_ADMIN_BODY))
                    .onComplete(done -> ctx.request().connection().close());
            return;
        }
        ctx.next();
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

    private static io.vertx.core.Future<Void> refuse(RoutingContext ctx, Problem problem) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("reason", problem.reason().name());
        error.put("id", null);
        error.put("message", problem.message());
        return ctx.response().setStatusCode(ProblemStatus.of(problem.reason()))
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(Json.encode(Map.of("errors", List.of(error)))));
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
