package io.udapi.trigger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.udapi.config.UdapiConfig;
import io.udapi.definition.ApiDefinition;
import io.udapi.registry.Registry;
import io.udapi.stats.TriggerStats;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The access log line, the metrics of SPEC 4.4 and the counts of {@code GET /admin/v1/stats} (SPEC 6.3),
 * written once per trigger when it is answered: here the status, the errorCode, the token and the definition
 * of every answer are known, whichever stage produced it.
 * Labels carry the definition id and the errorCode, never a raw path or a secret, so their number is
 * bounded by the number of definitions.
 */
@ApplicationScoped
public class TriggerTelemetry {

    private static final Logger ACCESS = Logger.getLogger("io.udapi.access");

    private final MeterRegistry meters;
    private final TriggerStats stats;
    private final boolean accessLog;
    private final Timer duration;
    private final Counter rateLimitRejections;
    private final Map<String, Counter> triggers = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> authFailures = new ConcurrentHashMap<>();

    TriggerTelemetry(MeterRegistry meters, UdapiConfig config, Registry registry, TriggerStats stats) {
        this.meters = meters;
        this.stats = stats;
        this.accessLog = config.accessLog().enabled();
        this.duration = Timer.builder("udapi.trigger.duration").publishPercentileHistogram().register(meters);
        this.rateLimitRejections = meters.counter("udapi.ratelimit.rejections");
        meters.gauge("udapi.tokens", registry, Registry::tokenCount);
        meters.gauge("udapi.definitions", registry, r -> r.definitions().size());
    }

    /** @param errorCode 0 for a success */
    void answered(Exchange ex, String method, int status, int errorCode) {
        long nanos = System.nanoTime() - ex.startNanos;
        duration.record(nanos, TimeUnit.NANOSECONDS);
        ApiDefinition definition = ex.definition();
        String definitionId = definition == null ? "none" : definition.id();
        triggers.computeIfAbsent(definitionId + '\u0000' + errorCode, k -> Counter.builder("udapi.triggers")
                .tag("definition", definitionId).tag("code", Integer.toString(errorCode)).register(meters)).increment();
        boolean rateLimited = errorCode == Rejection.RATE_LIMITED.errorCode();
        if (rateLimited) {
            rateLimitRejections.increment();
        }
        stats.answered(definition == null ? null : definition.id(), definition == null ? null : definition.route(),
                ex.token == null ? null : ex.token.id(), ex.token == null ? null : ex.token.name(), ex.admitted,
                TriggerStats.Outcome.of(status, rateLimited), nanos);
        if (status == 401) {
            authFailures.computeIfAbsent(errorCode, code -> Counter.builder("udapi.auth.failures")
                    .tag("code", Integer.toString(code)).register(meters)).increment();
        }
        if (accessLog) {
            ACCESS.infof("requestId=%s method=%s route=%s definition=%s token=%s status=%d errorCode=%d durationMs=%.3f",
                    ex.requestId, method, definition == null ? "-" : ex.match.pattern().template(), definitionId,
                    ex.token == null ? "-" : ex.token.id(), status, errorCode, nanos / 1e6);
        }
    }
}
