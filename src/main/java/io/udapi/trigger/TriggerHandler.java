package io.udapi.trigger;

import io.udapi.auth.TokenAuthenticator;
import io.udapi.config.NodeIdentity;
import io.udapi.config.UdapiConfig;
import io.udapi.lifecycle.GracefulShutdown;
import io.udapi.limit.LimiterKey;
import io.udapi.limit.RateLimiterRegistry;
import io.udapi.config.ClusterLimits;
import io.udapi.registry.Registry;
import io.udapi.script.ScriptEngine;
import io.udapi.script.ScriptLimits;
import io.udapi.usage.UsageRecorder;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * {@code /api/custom/{route}}: the trigger path of docs/architecture.md, declared here once as its list of stages.
 * {@link TriggerPipeline} runs them in this order and refuses, at start-up, any other; {@link TriggerResponses}
 * is the response stage that ends each trigger.
 */
@ApplicationScoped
public class TriggerHandler implements Handler<RoutingContext> {

    static final String PREFIX = "/api/custom";

    private final TriggerPipeline pipeline;
    private final TriggerResponses responses;
    private final GracefulShutdown shutdown;
    private final BodyMemory memory;

    TriggerHandler(TokenAuthenticator auth, Registry registry, RateLimiterRegistry<LimiterKey> limiters,
                   ScriptEngine engine, TriggerResponses responses, GracefulShutdown shutdown, NodeIdentity node,
                   UdapiConfig config, UsageRecorder usage, SourceAddress sources, ClusterLimits clusterLimits,
                   io.micrometer.core.instrument.MeterRegistry meters) {
        this.responses = responses;
        this.shutdown = shutdown;
        this.memory = new BodyMemory(BodyMemory.capacity(config.limits().maxBodyMemory().map(ScriptLimits::bytes),
                ScriptLimits.maxBodyBytes(config), Runtime.getRuntime().maxMemory()));
        meters.gauge("udapi.trigger.body.memory.bytes", memory, BodyMemory::held);
        this.pipeline = new TriggerPipeline(List.of(
                new MethodStage(),
                new UrlStage(config.limits().maxUrlLength(), config.limits().maxQueryLength()),
                new AuthStage(auth, sources),
                new RouteStage(registry),
                new AllowStage(),
                new LimitStage(limiters, clusterLimits.limiter(), usage),
                new MediaStage(),
                new BodyStage(ScriptLimits.maxBodyBytes(config), config.limits().bodyTimeout(), memory),
                new ParametersStage(),
                new ScriptStage(engine, node.id())),
                responses);
    }

    /** The budget of bodies and script inputs held at once (udapi.limits.max-body-memory). */
    BodyMemory bodyMemory() {
        return memory;
    }

    /** The declared stage order, as docs/architecture.md writes it. */
    String stages() {
        return pipeline.describe();
    }

    @Override
    public void handle(RoutingContext ctx) {
        // Route on the path the router matched this handler on (dot segments removed, unreserved escapes decoded,
        // slashes collapsed), as every other check of udapi does: one spelling, one meaning (docs/security.md).
        String path = ctx.normalizedPath();
        if (path.length() > PREFIX.length() && path.charAt(PREFIX.length()) != '/') {
            ctx.next(); // e.g. /api/customers: not a trigger
            return;
        }
        HttpServerRequest request = ctx.request();
        request.pause(); // the body is read only once every stage before the body stage has passed
        TriggerContext trigger = TriggerContext.of(new TriggerRequest(ctx, Vertx.currentContext(),
                responses.nextRequestId(), System.nanoTime(), request.method(), request.path(),
                path.substring(PREFIX.length()), request.query(), request.getHeader(HttpHeaders.AUTHORIZATION)));
        if (shutdown.isDraining()) {
            responses.reject(trigger.reject(Rejection.DRAINING)); // before the first stage
            return;
        }
        pipeline.start(trigger);
    }
}
