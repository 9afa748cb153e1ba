package io.udapi.manage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.udapi.audit.AuditEvent;
import io.udapi.store.Store;
import io.udapi.store.error.StoreDataException;
import io.udapi.store.error.StoreException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Records every create, update and delete: in the store (for {@code GET /admin/v1/events}), in the log,
 * and to live subscribers of the event stream.
 *
 * <p>The stored events are also the change feed other instances follow (docs/architecture.md, "Sync between
 * instances"), so an event the store could not take is not given up: it is kept, oldest first, and appended
 * again every {@code udapi.sync.interval} until the store takes it; the feed orders by the store's own
 * sequence, so a late append still reaches every instance. Error policy: the event is written after the change
 * it describes, and a failed append never fails the change. An outage keeps the event (at most
 * {@link #MAX_UNAPPENDED}; beyond that, and for an event the store refuses as data (4xx), which no retry
 * mends, the full event is logged at ERROR and the next full reload still applies the change everywhere).
 * Kept events are also written to the {@link AuditOutbox} ({@code udapi.audit.outbox}), which the next start
 * appends, so a crash during an outage loses none of them.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger("io.udapi.audit");
    static final int MAX_UNAPPENDED = 10_000;

    private final Store store;
    private final Clock clock;
    private final ObjectMapper json;
    private final BroadcastProcessor<AuditEvent> live = BroadcastProcessor.create();
    private final AtomicLong sequence = new AtomicLong();
    private final String instance = HexFormat.of().formatHex(SecureRandom.getSeed(3));
    /** Events whose append met an outage, oldest first; drained only by {@link #appendUnappended()}. */
    private final ConcurrentLinkedQueue<AuditEvent> unappended = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unappendedCount = new AtomicInteger();

    private final AuditOutbox outbox;

    @Inject
    AuditTrail(Store store, Clock clock, ObjectMapper json, MeterRegistry meters, io.udapi.config.UdapiConfig config) {
        this(store, clock, json, meters, new AuditOutbox(Optional.of(config.audit().outbox()
                .orElse(config.fileStore().dir().resolve("audit-outbox.jsonl"))), json));
    }

    AuditTrail(Store store, Clock clock, ObjectMapper json, MeterRegistry meters, AuditOutbox outbox) {
        this.store = store;
        this.clock = clock;
        this.json = json;
        this.outbox = outbox;
        meters.gauge("udapi.audit.unappended.events", unappendedCount);
        for (AuditEvent left : outbox.load()) {
            unappended.add(left);   // appended at the first sync interval, oldest first
            unappendedCount.incrementAndGet();
        }
    }

    /** Kept events in memory only (tests). */
    AuditTrail(Store store, Clock clock, ObjectMapper json) {
        this(store, clock, json, new SimpleMeterRegistry(), new AuditOutbox(Optional.empty(), json));
    }

    public AuditEvent record(String user, AuditEvent.Action action, AuditEvent.ObjectType type, String objectId,
                             String summary) {
        java.time.Instant at = clock.instant();
        // zero-padded millis first, so ids sort like their instants across instances
        String id = String.format("%013d-%s-%08d", at.toEpochMilli(), instance, sequence.incrementAndGet() % 100_000_000);
        AuditEvent event = new AuditEvent(id, at, user, action, type, objectId, summary);
        try {
            store.events().append(event);
            LOG.infof("audit %s %s %s '%s' by %s", event.eventName(), objectId, id, summary, user);
        } catch (StoreDataException e) {
            LOG.errorf("audit event refused by the store (%s); it is: %s", e.getMessage(), asJson(event));
        } catch (StoreException e) {
            keep(event, e);
        }
        live.onNext(event);
        return event;
    }

    /** How many events wait for the store to take them. */
    public int unappended() {
        return unappendedCount.get();
    }

    /**
     * Appends the kept events, oldest first, until the store fails again (the rest wait for the next call).
     * Called every sync interval; {@code SKIP} keeps it single-threaded, which the peek-then-poll relies on.
     */
    @Scheduled(every = "${udapi.sync.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void appendUnappended() {
        boolean taken = false;
        for (AuditEvent event = unappended.peek(); event != null; event = unappended.peek()) {
            try {
                store.events().append(event);
                LOG.infof("audit %s %s %s '%s' by %s (stored late, after an outage)", event.eventName(),
                        event.objectId(), event.id(), event.summary(), event.user());
            } catch (StoreDataException e) {
                LOG.errorf("audit event refused by the store (%s); it is: %s", e.getMessage(), asJson(event));
            } catch (StoreException e) {
                break;
            }
            unappended.poll();
            unappendedCount.decrementAndGet();
            taken = true;
        }
        if (taken) {
            synchronized (outbox) {
                outbox.keep(List.copyOf(unappended));
            }
        }
    }

    private void keep(AuditEvent event, StoreException failure) {
        if (unappendedCount.incrementAndGet() > MAX_UNAPPENDED) {
            unappendedCount.decrementAndGet();
            LOG.errorf("audit event could not be stored (%s) and %d are already waiting; it is: %s",
                    failure.getMessage(), MAX_UNAPPENDED, asJson(event));
            return;
        }
        synchronized (outbox) {   // queue and file change together, so the file never misses a queued event
            unappended.add(event);
            outbox.add(event);
        }
        LOG.warnf("audit event could not be stored (%s); appended again every sync interval: %s",
                failure.getMessage(), asJson(event));
    }

    /** Events as they happen, from the moment of subscription. */
    public Multi<AuditEvent> stream() {
        return live;
    }

    private String asJson(AuditEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return event.toString();
        }
    }
}
