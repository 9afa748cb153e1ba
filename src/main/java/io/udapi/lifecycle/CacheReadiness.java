package io.udapi.lifecycle;

import io.udapi.config.ClusterLimits;
import io.udapi.push.ChangePush;
import io.udapi.registry.Registry;
import io.udapi.store.Store;
import io.udapi.sync.Sync;
import io.udapi.sync.SyncStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the registry has loaded. The store's state is reported in the data but never makes the
 * instance unready: triggers are served from memory, and a shared store outage must not pull every
 * sidecar of a cluster out of service (docs/architecture.md, "Sync between instances"). The same holds for the
 * rate-limit server of cluster scope: {@code rateLimits} says {@code cluster-down} while triggers are decided by
 * the fallback, and the instance stays ready; and for pushed changes: {@code changePush} is {@code off}, {@code up} or
 * {@code down} (changes then arrive by the sync loop).
 */
@Readiness
@ApplicationScoped
public class CacheReadiness implements HealthCheck {

    private final Registry registry;
    private final Store store;
    private final Sync sync;
    private final ClusterLimits limits;
    private final ChangePush push;

    CacheReadiness(Registry registry, Store store, Sync sync, ClusterLimits limits, ChangePush push) {
        this.registry = registry;
        this.store = store;
        this.sync = sync;
        this.limits = limits;
        this.push = push;
    }

    @Override
    public HealthCheckResponse call() {
        SyncStatus status = sync.status();
        return HealthCheckResponse.named("udapi-cache")
                .status(registry.isLoaded())
                .withData("store", status.storeUp() ? "up" : "down")
                .withData("storeKind", store.kind())
                .withData("sync", status.state().name())
                .withData("syncLagSeconds", sync.lag().toSeconds())
                .withData("tokens", registry.tokenCount())
                .withData("definitions", registry.definitions().size())
                .withData("rateLimits", limits.state())
                .withData("changePush", push.state().name())
                .build();
    }
}
