package io.udapi.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.http.HttpHost;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sync loop on a real Elasticsearch when one document is a data error (docs/architecture.md, "Sync between instances"): the bad object
 * is logged once, counted in {@code udapi.sync.skipped{reason}} and skipped, and every other change,
 * in the same pass and later, is applied. The store stays "up": a data error is not an outage.
 */
class SyncDataErrorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final RestClient client = ElasticsearchProcess.shared().client();
    private final String prefix = "udapi-sync-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final CountingProxy proxy = new CountingProxy(ElasticsearchProcess.shared().hostAndPort());
    private final RestClient viaProxy = RestClient.builder(HttpHost.create("http://" + proxy.hostAndPort())).build();
    private final ElasticsearchStore store = new ElasticsearchStore(viaProxy, prefix);
    private final Registry registry = TestRegistries.empty();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Sync sync = new Sync(store, registry, Clock.systemUTC(), TestSyncConfig.everySecond(), meters);
    private final List<String> syncLog = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            syncLog.add(String.valueOf(record.getMessage()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private int events;

    SyncDataErrorTest() throws IOException {
    }

    @BeforeEach
    void start() {
        Logger.getLogger(Sync.class.getName()).addHandler(capture);
        store.ensureIndices();
        assertTrue(sync.start(() -> { }).loaded());
    }

    @AfterEach
    void cleanUp() throws IOException {
        Logger.getLogger(Sync.class.getName()).removeHandler(capture);
        Request delete = new Request("DELETE", "/" + String.join(",", store.indexNames()));
        delete.addParameter("ignore_unavailable", "true");
        client.performRequest(delete);
        viaProxy.close();
        proxy.close();
    }

    @Test
    void unreadableDocumentIsLoggedCountedAndSkippedWhileOtherChangesApply() throws IOException {
        // a token document whose object has a field of the wrong type: Elasticsearch stores it (the object
        // is not indexed), udapi cannot read it
        Request bad = new Request("PUT", "/" + prefix + "tokens/_doc/t-bad");
        bad.addParameter("refresh", "true");
        bad.setJsonEntity("{\"id\":\"t-bad\",\"version\":1,\"object\":{\"id\":\"t-bad\",\"version\":\"not-a-number\"}}");
        client.performRequest(bad);
        changed("t-bad");
        create("t-1");

        SyncStatus status = sync.syncOnce();

        assertEquals(SyncStatus.State.IN_SYNC, status.state(), "a data error is not an outage");
        assertTrue(registry.token("t-1").isPresent(), "the other change of the same pass is applied");
        assertFalse(registry.token("t-bad").isPresent());
        assertEquals(1.0, skipped("unreadable"));
        List<String> lines = syncLog.stream().filter(l -> l.contains("t-bad")).toList();
        assertEquals(1, lines.size(), "one log line per bad document: " + syncLog);
        assertTrue(lines.get(0).contains("unreadable") && lines.get(0).contains("object.version"), lines.get(0));
        assertFalse(lines.get(0).contains("not-a-number"), "the log names the field, never the stored value");

        create("t-2");
        sync.syncOnce();
        assertTrue(registry.token("t-2").isPresent(), "a later change arrives");
        assertEquals(1.0, skipped("unreadable"), "the bad document is not retried pass after pass");
        assertEquals(1, syncLog.stream().filter(l -> l.contains("t-bad")).count());
    }

    @Test
    void documentElasticsearchRefusesWith4xxIsCountedAsRefusedAndLaterChangesApply() {
        // Elasticsearch answers 400 to the read of this one document (as for a document it cannot serve)
        String refusedPath = "/" + prefix + "tokens/_doc/t-refused";
        proxy.answer(e -> e.method().equals("GET") && e.pathAndQuery().startsWith(refusedPath)
                ? Optional.of(new CountingProxy.Canned(400, "{\"error\":{\"type\":\"illegal_argument_exception\","
                        + "\"reason\":\"cannot read this document\"},\"status\":400}"))
                : Optional.empty());
        changed("t-refused");
        create("t-1");

        SyncStatus status = sync.syncOnce();

        assertEquals(SyncStatus.State.IN_SYNC, status.state(), "a 4xx for one document is not an outage");
        assertTrue(status.storeUp());
        assertTrue(registry.token("t-1").isPresent());
        assertEquals(1.0, skipped("refused"));
        List<String> lines = syncLog.stream().filter(l -> l.contains("t-refused")).toList();
        assertEquals(1, lines.size(), "one log line per bad document: " + syncLog);
        assertTrue(lines.get(0).contains("refused") && lines.get(0).contains("400"), lines.get(0));

        create("t-2");
        sync.syncOnce();
        assertTrue(registry.token("t-2").isPresent(), "a later change arrives");
        assertEquals(1.0, skipped("refused"));
    }

    private double skipped(String reason) {
        return meters.get("udapi.sync.skipped").tag("reason", reason).counter().count();
    }

    private void create(String id) {
        store.tokens().create(new ApiToken(id, "name-" + id, "hash", 1, "abcd", false, null, null,
                Stamp.created("a", T0), 1));
        changed(id);
    }

    private void changed(String tokenId) {
        events++;
        store.events().append(new AuditEvent(String.format("e-%05d-%s", events, UUID.randomUUID()), T0.plusSeconds(events),
                "a", AuditEvent.Action.created, AuditEvent.ObjectType.token, tokenId, "test"));
    }
}
