package io.udapi.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.udapi.limit.ClusterLimiter;
import io.udapi.limit.LimiterKey;
import io.udapi.limit.LocalLimiter;
import io.udapi.limit.NanoClock;
import io.udapi.limit.RateLimiterRegistry;
import io.udapi.limit.redis.PipelinedConnection;
import io.udapi.limit.redis.RedisLimiter;
import io.quarkus.runtime.StartupEvent;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The rate-limit scope of this instance (docs/concepts.md, "Rate limits"). With {@code udapi.limits.scope=cluster}
 * it takes the Redis client of {@code udapi.limits.redis.*} ({@link RedisClient}), builds the {@link RedisLimiter} and the
 * {@link ClusterLimiter} the limit stage asks, exports the metrics {@code udapi_limits_cluster_available} and
 * {@code udapi_limits_cluster_fallbacks_total}, and logs each change of availability once. With {@code instance}
 * (the default) it builds nothing and nothing connects.
 */
@ApplicationScoped
public class ClusterLimits {

    private static final Logger LOG = Logger.getLogger(ClusterLimits.class);

    private final ClusterLimiter limiter;
    private final String address;
    private final RedisClient redis;

    ClusterLimits(UdapiConfig config, RedisClient redis, RateLimiterRegistry<LimiterKey> local, NanoClock clock,
                  MeterRegistry meters) {
        UdapiConfig.Limits limits = config.limits();
        this.redis = redis;
        if (limits.scope() != UdapiConfig.LimitScope.CLUSTER) {
            this.limiter = null;
            this.address = null;
            return;
        }
        if (limits.clusterTimeout().isNegative() || limits.clusterTimeout().isZero()) {
            throw new IllegalArgumentException("udapi.limits.cluster-timeout is " + limits.clusterTimeout()
                    + "; it must be > 0");
        }
        if (limits.clusterRetryInterval().isNegative()) {
            throw new IllegalArgumentException("udapi.limits.cluster-retry-interval is " + limits.clusterRetryInterval()
                    + "; it must be >= 0");
        }
        this.address = redis.address();
        ClusterLimiter.Fallback fallback = limits.clusterFailure() == UdapiConfig.ClusterFailure.FAIL_CLOSED
                ? ClusterLimiter.Fallback.REFUSE : ClusterLimiter.Fallback.LOCAL;
        this.limiter = new ClusterLimiter(new RedisLimiter(new PipelinedConnection(redis.get()), limits.redis().keyPrefix(), null), new LocalLimiter(local),
                limits.clusterTimeout(), limits.clusterRetryInterval(), fallback, clock, this::logTransition);
        Gauge.builder("udapi.limits.cluster.available", limiter, l -> l.available() ? 1 : 0)
                .description("1 while the rate-limit server of cluster scope answers, else 0").register(meters);
        FunctionCounter.builder("udapi.limits.cluster.fallbacks", limiter, ClusterLimiter::fallbacks)
                .description("rate-limit attempts of cluster scope not decided by the server").register(meters);
        LOG.infof("rate limits: cluster scope on %s (timeout %d ms, on failure %s)", address,
                limits.clusterTimeout().toMillis(), fallback == ClusterLimiter.Fallback.LOCAL ? "fail-open-local" : "fail-closed");
    }

    /**
     * With cluster scope: one PING at start-up, decided like an attempt (timeout, availability, the log line), so the
     * readiness data and the metric say {@code cluster-down} before the first limited trigger when the server is not
     * there. Nothing waits for it.
     */
    void checkAtStart(@Observes StartupEvent event) {
        if (limiter != null) {
            limiter.check(redis.get().send(Request.cmd(Command.PING)).toCompletionStage());
        }
    }

    /** The limiter of cluster scope, or null with instance scope. */
    public ClusterLimiter limiter() {
        return limiter;
    }

    /** For the readiness data: {@code instance}, or {@code cluster-up} / {@code cluster-down}. */
    public String state() {
        if (limiter == null) {
            return "instance";
        }
        return limiter.available() ? "cluster-up" : "cluster-down";
    }

    private void logTransition(ClusterLimiter.Transition transition) {
        if (transition.available()) {
            LOG.infof("rate limits: the server %s answers again; cluster decisions resume", address);
        } else {
            LOG.warnf("rate limits: the server %s failed (%s); triggers are decided by the fallback (%s) until it answers",
                    address, transition.cause(), limiter.fallbackPolicy() == ClusterLimiter.Fallback.LOCAL
                            ? "this instance's own counts" : "503/1006");
        }
    }
}
