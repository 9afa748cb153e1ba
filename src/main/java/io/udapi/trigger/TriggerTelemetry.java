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
 * The access log line, the metrics of a trigger (docs/operations.md) and the counts of {@code GET /admin/v1/stats}
 * (docs/api.md, "Trigger statistics"), written once per trigger when it is answered: a {@link TriggerObserver},
 * where the status, the errorCode, the token and the definition of every answer are known, whichever stage
 * produced it.
 * Labels carry the definition id and the errorCode, never a raw path or a secret, so their number is
 * bounded by the number of definitions.
 */
@ApplicationScoped
public class TriggerTelemetry implements TriggerObserver {

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

    @Override
    public void answered(Answered answer) {
        long nanos = answer.latencyNanos();
        int errorCode = answer.errorCode();
        duration.record(nanos, TimeUnit.NANOSECONDS);
        ApiDefinition definition = answer.definition();
        String definitionId = definition == null ? "none" : definition.id();
        triggers.computeIfAbsent(definitionId + '\u0000' + errorCode, k -> Counter.builder("udapi.triggers")
                .tag("definition", definitionId).tag("code", Integer.toString(errorCode)).register(meters)).increment();
        boolean rateLimited = errorCode == Rejection.RATE_LIMITED.errorCode();
        if (rateLimited) {
            rateLimitRejections.increment();
        }
        stats.answered(definition == null ? null : definition.id(), definition == null ? null : definition.route(),
                answer.token() == null ? null : answer.token().id(), answer.token() == null ? null : answer.token().name(),
                answer.admitted(), TriggerStats.Outcome.of(answer.status(), rateLimited), nanos);
        if (answer.status() == 401) {
            authFailures.computeIfAbsent(errorCode, code -> Counter.builder("udapi.auth.failures")
                    .tag("code", Integer.toString(code)).register(meters)).increment();
        }
        if (accessLog) {
            ACCESS.infof("requestId=%s method=%s route=%s definition=%s token=%s status=%d errorCode=%d durationMs=%.3f",
                    answer.requestId(), answer.method(), definition == null ? "-" : answer.routeTemplate(), definitionId,
                    answer.token() == null ? "-" : answer.token().id(), answer.status(), errorCode, nanos / 1e6);
        }
    }
}
