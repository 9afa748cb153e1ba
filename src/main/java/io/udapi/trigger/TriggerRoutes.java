package io.udapi.trigger;

import io.quarkus.scheduler.Scheduled;
import io.udapi.limit.LimiterKey;
import io.udapi.limit.NanoClock;
import io.udapi.limit.RateLimiterRegistry;
import io.udapi.registry.TokenChanged;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/** Mounts the trigger handler, and owns the per-instance rate-limit state and its eviction. */
@ApplicationScoped
public class TriggerRoutes {

    private static final Logger LOG = Logger.getLogger(TriggerRoutes.class);

    private final RateLimiterRegistry<LimiterKey> limiters;

    /** @param clock the limiter's time source, read once per attempt ({@code ClockProducer}; tests may fake it) */
    TriggerRoutes(NanoClock clock) {
        this.limiters = new RateLimiterRegistry<>(clock);
    }

    /**
     * {@code sources} is injected here so that it is built (and its configuration checked) at boot; asking the
     * handler for its stages builds it too, so a misordered stage list stops the start (TriggerPipeline).
     */
    void mount(@Observes Router router, TriggerHandler handler, SourceAddress sources, TriggerResponses responses) {
        LOG.debugf("trigger stages: %s", handler.stages());
        // a request Vert.x refuses before routing (no host) fails the whole router: answered here on every path
        router.route().order(Integer.MIN_VALUE).failureHandler(responses::hostMissing);
        // before the REST layer, which would otherwise answer /api/custom/... with its own 404
        router.route(TriggerHandler.PREFIX + "*").order(-10).handler(handler);
    }

    @Produces
    RateLimiterRegistry<LimiterKey> limiters() {
        return limiters;
    }

    /** Idle state is dropped after its window (docs/concepts.md, "Rate limits"); live limiters are never dropped. */
    @Scheduled(every = "${udapi.limits.eviction-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evictIdleLimiters() {
        limiters.evictOnce();
    }

    /** A deleted token's limiters are useless; the others keep their admissions across changes (docs/concepts.md, "Rate limits"). */
    void onTokenChanged(@Observes TokenChanged change) {
        if (change.after() == null) {
            limiters.forget(key -> key.tokenId().equals(change.tokenId()));
        }
    }
}
