package io.udapi.store.es;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.udapi.audit.AuditEvent;
import io.udapi.store.EventLog;
import io.udapi.store.EventPage;
import io.udapi.store.EventQuery;
import io.udapi.store.error.StoreDataException;
import io.udapi.store.error.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Audit events, a document per event with {@code _id} = the event id. Appending is an idempotent
 * index-by-id (not {@code op_type=create}), so a client retry after a lost response stores the event
 * once and does not fail.
 *
 * <p>Change feed: the cursor is the {@code _seq_no} of the last event read from the one-shard events
 * index (-1 before the first). Because a refresh can expose a higher sequence number before a lower
 * one, a read covers {@link EsQueries#FEED_OVERLAP} numbers before the cursor as well: events are
 * delivered at least once and the reader de-duplicates by id.
 *
 * <p>Idle cost. Re-reading that window on every poll returned up to 64 whole events (about 22 KB) per
 * poll of an idle cluster. Instead, each full read remembers its cursor and how many events were
 * visible in the window ending there ({@link Seen}). A later read from the same cursor first sends
 * {@link EsQueries#feedProbe}: the count of events visible in the window and after it, and the highest
 * {@code _seq_no}, in an answer of about 60 bytes. Only if the highest number passed the cursor (a new
 * event) or the count differs (an event of the window became visible late, or one was removed) does it
 * read the window and what follows in full. The late-event guarantee is the same as before: an event is
 * caught if it becomes visible while its {@code _seq_no} is still within the window of the cursor.
 * Considered and not chosen: a cursor of {@code _seq_no} alone with no window (misses late events);
 * re-reading the window with {@code _source} cut to a few fields (still ~64 hits per idle poll).
 *
 * <p>The memory is one value per event log, meant for its one reader, the sync loop; another reader
 * arriving at the very same cursor shares its view of the window.
 */
final class EsEventLog implements EventLog {

    private static final Logger LOG = Logger.getLogger(EsEventLog.class);

    private final EsClient es;
    private final EsDocuments docs;
    private final EsIndex index;

    /**
     * What the last full read saw: the cursor it returned, and how many visible events had a
     * {@code _seq_no} in {@code (cursor - FEED_OVERLAP, cursor]}.
     */
    private record Seen(long cursor, long inWindow) {
    }

    private volatile Seen seen;

    EsEventLog(EsClient es, EsDocuments docs, EsIndex index) {
        this.es = es;
        this.docs = docs;
        this.index = index;
    }

    @Override
    public void append(AuditEvent event) {
        index.ensure();
        EsClient.Reply reply = es.perform("PUT", "/" + index.name + "/_doc/" + EsClient.encode(event.id()),
                Map.of("refresh", "true"), docs.write(docs.eventDocument(event)));
        if (!reply.ok()) {
            String message = "Elasticsearch refused event " + event.id() + ": " + reply.summary();
            throw EsDocuments.isDataError(reply.status(), reply.body())
                    ? new StoreDataException(StoreDataException.Kind.refused, reply.status(), message)
                    : new StoreUnavailableException(message);
        }
    }

    @Override
    public List<AuditEvent> find(EventQuery query) {
        index.ensure();
        EsClient.Reply reply = es.perform("POST", "/" + index.name + "/_search", Map.of(),
                docs.write(EsQueries.events(query)));
        if (!reply.ok()) {
            throw new StoreUnavailableException("Elasticsearch refused an event query: " + reply.summary());
        }
        List<AuditEvent> events = new ArrayList<>();
        for (JsonNode hit : EsDocuments.hits(reply.body())) {
            try {
                events.add(docs.objectOf(hit.path("_source"), AuditEvent.class));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                LOG.errorf("skipping unreadable event %s: %s", hit.path("_id").asText(), e.getMessage());
            }
        }
        return events;
    }

    @Override
    public long headCursor() {
        List<JsonNode> hits = search(EsQueries.headCursor(), "head cursor");
        return hits.isEmpty() ? -1 : hits.get(0).path("_seq_no").asLong(-1);
    }

    @Override
    public EventPage changesAfter(long cursor, int max) {
        Seen last = seen;
        if (last != null && last.cursor() == cursor && nothingNew(last)) {
            return new EventPage(List.of(), cursor);
        }
        long next = cursor;
        List<JsonNode> hits = search(EsQueries.changesAfter(cursor, max), EsQueries.FEED_FILTER, "change feed");
        List<AuditEvent> events = new ArrayList<>();
        for (JsonNode hit : hits) {
            next = Math.max(next, hit.path("_seq_no").asLong(next));
            try {
                events.add(docs.objectOf(hit.path("_source"), AuditEvent.class));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                LOG.errorf("skipping unreadable event %s: %s", hit.path("_id").asText(), EsDocuments.readFailure(e));
            }
        }
        // hits are in _seq_no order and complete up to next, so this counts every event visible in next's window
        long from = next - EsQueries.FEED_OVERLAP;
        long until = next;
        seen = new Seen(next, hits.stream().mapToLong(h -> h.path("_seq_no").asLong(Long.MIN_VALUE))
                .filter(n -> n > from && n <= until).count());
        return new EventPage(events, next);
    }

    /** The idle check: one tiny search. */
    private boolean nothingNew(Seen last) {
        index.ensure();
        EsClient.Reply reply = es.perform("POST", "/" + index.name + "/_search",
                Map.of("filter_path", EsQueries.FEED_PROBE_FILTER), docs.write(EsQueries.feedProbe(last.cursor())));
        if (!reply.ok()) {
            throw new StoreUnavailableException("Elasticsearch refused the change feed check: " + reply.summary());
        }
        long visible = reply.body().path("hits").path("total").path("value").asLong(-1);
        List<JsonNode> hits = EsDocuments.hits(reply.body());
        long highest = hits.isEmpty() ? -1 : hits.get(0).path("_seq_no").asLong(Long.MAX_VALUE);
        return highest <= last.cursor() && visible == last.inWindow();
    }

    private List<JsonNode> search(com.fasterxml.jackson.databind.node.ObjectNode body, String what) {
        return search(body, null, what);
    }

    private List<JsonNode> search(com.fasterxml.jackson.databind.node.ObjectNode body, String filterPath, String what) {
        index.ensure();
        EsClient.Reply reply = es.perform("POST", "/" + index.name + "/_search",
                filterPath == null ? Map.of() : Map.of("filter_path", filterPath), docs.write(body));
        if (!reply.ok()) {
            throw new StoreUnavailableException("Elasticsearch refused the " + what + " query: " + reply.summary());
        }
        return EsDocuments.hits(reply.body());
    }
}
