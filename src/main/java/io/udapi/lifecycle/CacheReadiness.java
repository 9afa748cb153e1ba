package io.udapi.lifecycle;

import io.udapi.registry.Registry;
import io.udapi.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the registry has loaded. The store's state is reported in the data but never makes the
 * instance unready: triggers are served from memory, and a shared store outage must not pull every
 * sidecar of a cluster out of service (SPEC 4.3).
 */
@Readiness
@ApplicationScoped
public class CacheReadiness implements HealthCheck {

    private final Registry registry;
    private final Store store;

    CacheReadiness(Registry registry, Store store) {
        this.registry = registry;
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("udapi-cache")
                .status(registry.isLoaded())
                .withData("store", store.kind())
                .withData("tokens", registry.tokenCount())
                .withData("definitions", registry.definitions().size())
                .build();
    }
}
