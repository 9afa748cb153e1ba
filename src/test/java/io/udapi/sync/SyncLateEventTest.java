package io.udapi.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.udapi.audit.AuditEvent;
import io.udapi.audit.Stamp;
import io.udapi.registry.Registry;
import io.udapi.registry.TestRegistries;
import io.udapi.store.es.CountingProxy;
import io.udapi.store.es.ElasticsearchProcess;
import io.udapi.store.es.ElasticsearchStore;
import io.udapi.token.ApiToken;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.apache.http.HttpHost;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The change feed's cheap idle check keeps the late-event guarantee: an event whose {@code _seq_no} is
 * lower than the cursor but that becomes searchable after it (what an Elasticsearch refresh can do
 * with concurrent writes) is still applied. A proxy between the store and Elasticsearch plays the
 * refresh: it hides one event from every search of the events index (hit and count) until released.
 */
class SyncLateEventTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client = ElasticsearchProcess.shared().client();
    private final String prefix = "udapi-late-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final CountingProxy proxy = new CountingProxy(ElasticsearchProcess.shared().hostAndPort());
    private final RestClient viaProxy = RestClient.builder(HttpHost.create("http://" + proxy.hostAndPort())).build();
    private final ElasticsearchStore store = new ElasticsearchStore(viaProxy, prefix);
    private final Registry registry = TestRegistries.empty();
    private final Sync sync = new Sync(store, registry, Clock.systemUTC(), TestSyncConfig.everySecond(),
            new SimpleMeterRegistry());
    private volatile String hiddenEvent;
    private int events;

    SyncLateEventTest() throws IOException {
    }

    @BeforeEach
    void start() {
        store.ensureIndices();
        proxy.rewrite(this::hide);
        assertTrue(sync.start(() -> { }).loaded());
        sync.syncOnce();    // the first feed read after the load
    }

    @AfterEach
    void cleanUp() throws IOException {
        Request delete = new Request("DELETE", "/" + String.join(",", store.indexNames()));
        delete.addParameter("ignore_unavailable", "true");
        client.performRequest(delete);
        viaProxy.close();
        proxy.close();
    }

    @Test
    void eventVisibleAfterALaterOneIsStillApplied() {
        create("t-a");
        hiddenEvent = create("t-late");     // indexed between t-a and t-b, searchable only later
        create("t-b");

        sync.syncOnce();
        assertTrue(registry.token("t-a").isPresent() && registry.token("t-b").isPresent());
        assertFalse(registry.token("t-late").isPresent(), "its event is not visible yet");

        proxy.reset();
        sync.syncOnce();                    // idle: the cheap check only
        List<CountingProxy.Exchange> idle = proxy.exchanges();
        assertEquals(1, idle.size(), idle.toString());
        assertTrue(idle.get(0).answerBytes() < 200, "idle check answer: " + idle.get(0));

        hiddenEvent = null;                 // the refresh that makes the earlier event visible
        sync.syncOnce();

        assertTrue(registry.token("t-late").isPresent(), "the late event is applied");
    }

    @Test
    void idlePollIsOneSearchWithATinyAnswer() {
        create("t-a");
        sync.syncOnce();

        proxy.reset();
        for (int i = 0; i < 5; i++) {
            sync.syncOnce();
        }

        List<CountingProxy.Exchange> idle = proxy.exchanges();
        assertEquals(5, idle.size(), idle.toString());
        for (CountingProxy.Exchange e : idle) {
            assertTrue(e.pathAndQuery().startsWith("/" + prefix + "events/_search"), e.toString());
            assertTrue(e.answerBytes() < 200, e.toString());
        }
        create("t-b");
        sync.syncOnce();
        assertTrue(registry.token("t-b").isPresent(), "a new event after idle polls is read");
    }

    /** Drops the hidden event from a search answer of the events index and from its count. */
    private String hide(String body) {
        String hidden = hiddenEvent;
        if (hidden == null || !body.contains(hidden)  && !body.contains("\"total\"")) {
            return body;
        }
        try {
            JsonNode answer = JSON.readTree(body);
            JsonNode hits = answer.path("hits");
            if (!hits.isObject()) {
                return body;
            }
            boolean eventsIndex = false;
            if (hits.path("hits").isArray()) {
                for (Iterator<JsonNode> it = ((ArrayNode) hits.path("hits")).elements(); it.hasNext(); ) {
                    JsonNode hit = it.next();
                    if (hit.path("_source").has("objectType") || hit.has("_seq_no")) {
                        eventsIndex = true;
                    }
                    if (hidden.equals(hit.path("_id").asText())) {
                        it.remove();
                    }
                }
            }
            if (eventsIndex && hits.path("total").isObject()) {
                ObjectNode total = (ObjectNode) hits.path("total");
                total.put("value", total.path("value").asLong() - 1);
            }
            return JSON.writeValueAsString(answer);
        } catch (IOException e) {
            return body;
        }
    }

    private String create(String id) {
        store.tokens().create(new ApiToken(id, "name-" + id, "hash", 1, "abcd", false, null, null,
                Stamp.created("a", T0), 1));
        events++;
        String eventId = String.format("e-%05d-%s", events, UUID.randomUUID());
        store.events().append(new AuditEvent(eventId, T0.plusSeconds(events), "a", AuditEvent.Action.created,
                AuditEvent.ObjectType.token, id, "test"));
        return eventId;
    }
}
