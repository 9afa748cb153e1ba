package io.udapi.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.store.es.CountingProxy;
import io.udapi.store.es.ElasticsearchProcess;
import io.udapi.store.es.ElasticsearchStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What two idle instances cost their Elasticsearch (docs/architecture.md, "Sync between instances"): each packaged instance reaches the
 * cluster through its own {@link CountingProxy}, which counts requests and the bytes of their answers.
 * Over 10 s of {@code udapi.sync.interval=1s} with no change anywhere: at most one request per interval
 * per instance, and a mean answer under 1 KiB. A change made afterwards still reaches the other instance.
 */
class IdleSyncCostIT {

    static final String PEPPER = "idle-sync-cost-pepper-0123456789abcdef";
    static final Duration WINDOW = Duration.ofSeconds(10);
    /** One per 1 s interval, plus one for a tick at each edge of the window. */
    static final int MAX_REQUESTS_PER_INSTANCE = 11;

    @TempDir
    Path work;

    @Test
    void twoIdleInstancesMakeOneSmallRequestPerIntervalEach() throws Exception {
        ElasticsearchProcess es = ElasticsearchProcess.shared();
        String prefix = "udapi-idle-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try (CountingProxy toA = new CountingProxy(es.hostAndPort()); CountingProxy toB = new CountingProxy(es.hostAndPort());
                ServiceProcess a = instance(toA, prefix, "a"); ServiceProcess b = instance(toB, prefix, "b")) {
            AdminClient onA = new AdminClient(a.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            AdminClient onB = new AdminClient(b.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            // some history, so the feed's re-read window is not empty, seen by both instances
            String last = null;
            for (int i = 0; i < 5; i++) {
                last = createToken(onA, "idle-history-" + i);
            }
            String lastId = last;
            await().atMost(Duration.ofSeconds(10)).until(() -> onB.send("GET", "/admin/v1/tokens/" + lastId, null)
                    .statusCode() == 200);
            // let each instance settle: a few feed reads after the last change
            long readsA = feedReads(toA);
            long readsB = feedReads(toB);
            await().atMost(Duration.ofSeconds(30)).until(() -> feedReads(toA) >= readsA + 3 && feedReads(toB) >= readsB + 3);
            toA.reset();
            toB.reset();

            long t0 = System.nanoTime();
            await().during(WINDOW).atMost(WINDOW.plusSeconds(5)).until(() ->
                    toA.exchanges().size() <= MAX_REQUESTS_PER_INSTANCE
                            && toB.exchanges().size() <= MAX_REQUESTS_PER_INSTANCE);
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<CountingProxy.Exchange> all = new ArrayList<>(toA.exchanges());
            all.addAll(toB.exchanges());

            double meanBytes = all.stream().mapToInt(CountingProxy.Exchange::answerBytes).average().orElse(0);
            int maxBytes = all.stream().mapToInt(CountingProxy.Exchange::answerBytes).max().orElse(0);
            System.out.printf("IdleSyncCostIT: 2 idle instances, udapi.sync.interval=1s, %.1f s: %d + %d requests "
                    + "to Elasticsearch, mean answer %.0f bytes (max %d), by endpoint %s; load average %s%n",
                    seconds, toA.exchanges().size(), toB.exchanges().size(), meanBytes, maxBytes, byEndpoint(all),
                    loadAverage());
            assertTrue(toA.exchanges().size() <= MAX_REQUESTS_PER_INSTANCE, toA.exchanges().toString());
            assertTrue(toB.exchanges().size() <= MAX_REQUESTS_PER_INSTANCE, toB.exchanges().toString());
            assertTrue(toA.exchanges().size() >= 5 && toB.exchanges().size() >= 5, "both instances kept polling");
            assertTrue(meanBytes < 1024, "mean answer " + meanBytes + " bytes: " + all);

            // and the cheap check still notices a change: a token created on A reaches B
            String id = createToken(onA, "idle-then-busy");
            await().atMost(Duration.ofSeconds(5)).until(() -> onB.send("GET", "/admin/v1/tokens/" + id, null)
                    .statusCode() == 200);
        } finally {
            Request delete = new Request("DELETE", "/" + String.join(",",
                    new ElasticsearchStore(es.client(), prefix).indexNames()));
            delete.addParameter("ignore_unavailable", "true");
            es.client().performRequest(delete);
        }
    }

    private ServiceProcess instance(CountingProxy proxy, String prefix, String name) throws Exception {
        return ServiceProcess.onElasticsearch(work, proxy.hostAndPort(), prefix, PEPPER, name, "udapi.sync.interval", "1s").start();
    }

    private static String createToken(AdminClient admin, String name) throws Exception {
        HttpResponse<String> created = admin.send("POST", "/admin/v1/tokens", "{\"name\":\"" + name + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        return AdminClient.field(created.body(), "id");
    }

    private static long feedReads(CountingProxy proxy) {
        return proxy.exchanges().stream().filter(e -> e.pathAndQuery().contains("events/_search")).count();
    }

    private static Map<String, Integer> byEndpoint(List<CountingProxy.Exchange> exchanges) {
        Map<String, Integer> counts = new TreeMap<>();
        for (CountingProxy.Exchange e : exchanges) {
            String path = e.pathAndQuery();
            int q = path.indexOf('?');
            counts.merge(e.method() + " " + (q < 0 ? path : path.substring(0, q)), 1, Integer::sum);
        }
        return counts;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}
