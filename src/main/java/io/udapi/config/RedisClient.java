package io.udapi.config;

import io.udapi.limit.redis.RedisConnections;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * The one Valkey/Redis client of this instance, from {@code udapi.limits.redis.*}, shared by the rate limits of
 * cluster scope ({@link ClusterLimits}) and pushed changes ({@code io.udapi.push}). Built on first use, so an
 * instance that needs neither never connects; closed at shutdown.
 */
@ApplicationScoped
public class RedisClient {

    private final Vertx vertx;
    private final UdapiConfig.Redis settings;
    private final Duration connectTimeout;
    private Redis client;   // guarded by this

    RedisClient(Vertx vertx, UdapiConfig config) {
        this.vertx = vertx;
        this.settings = config.limits().redis();
        // a new connection may take as long as triggers skip the server after a failure (docs/configuration.md)
        this.connectTimeout = config.limits().clusterRetryInterval();
    }

    /** The client, built now if this is the first use; it connects lazily, per request. */
    public synchronized Redis get() {
        if (client == null) {
            client = Redis.createClient(vertx, RedisConnections.options(settings.url(), settings.password(),
                    settings.tlsTrustPem().orElse(List.of()), settings.maxPoolSize(), connectTimeout));
        }
        return client;
    }

    /** Scheme, host and port of the server, never its password: what the log may show. */
    public String address() {
        return RedisConnections.address(settings.url());
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
