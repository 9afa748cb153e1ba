package io.udapi.manage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.udapi.audit.AuditEvent;
import io.udapi.store.Store;
import io.udapi.store.error.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Records every create, update and delete: in the store (for {@code GET /admin/v1/events}), in the log,
 * and to live subscribers of the event stream.
 *
 * <p>Error policy: the event is written after the change it describes. If the store refuses the event,
 * the change stays acknowledged and the full event is logged at ERROR, so nothing is lost silently.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger("io.udapi.audit");

    private final Store store;
    private final Clock clock;
    private final ObjectMapper json;
    private final BroadcastProcessor<AuditEvent> live = BroadcastProcessor.create();
    private final AtomicLong sequence = new AtomicLong();
    private final String instance = HexFormat.of().formatHex(SecureRandom.getSeed(3));

    AuditTrail(Store store, Clock clock, ObjectMapper json) {
        this.store = store;
        this.clock = clock;
        this.json = json;
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
        } catch (StoreException e) {
            LOG.errorf("audit event could not be stored (%s); it is: %s", e.getMessage(), asJson(event));
        }
        live.onNext(event);
        return event;
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
