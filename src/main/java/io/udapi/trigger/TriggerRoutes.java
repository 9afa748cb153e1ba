package io.udapi.trigger;

import io.quarkus.scheduler.Scheduled;
import io.udapi.limit.LimiterKey;
import io.udapi.limit.RateLimiterRegistry;
import io.udapi.registry.TokenChanged;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

/** Mounts the trigger handler, and owns the per-instance rate-limit state and its eviction. */
@ApplicationScoped
public class TriggerRoutes {

    private final RateLimiterRegistry<LimiterKey> limiters = new RateLimiterRegistry<>();

    /** {@code sources} is injected here so that it is built (and its configuration checked) at boot. */
    void mount(@Observes Router router, TriggerHandler handler, SourceAddress sources) {
        // before the REST layer, which would otherwise answer /api/custom/... with its own 404
        router.route(TriggerHandler.PREFIX + "*").order(-10).handler(handler);
    }

    @Produces
    RateLimiterRegistry<LimiterKey> limiters() {
        return limiters;
    }

    /** Idle state is dropped after its window (SPEC 2.2); live limiters are never dropped. */
    @Scheduled(every = "${udapi.limits.eviction-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evictIdleLimiters() {
        limiters.evictOnce();
    }

    /** A deleted token's limiters are useless; the others keep their admissions across changes (SPEC 2.2). */
    void onTokenChanged(@Observes TokenChanged change) {
        if (change.after() == null) {
            limiters.forget(key -> key.tokenId().equals(change.tokenId()));
        }
    }
}
