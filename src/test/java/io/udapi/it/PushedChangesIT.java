package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.limit.redis.RedisServer;
import io.udapi.store.es.ElasticsearchProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushed changes (docs/architecture.md, "Pushed changes"): two packaged instances on one real Elasticsearch and one
 * real redis-server. A token disabled, rotated or deleted on A is refused on B; the time from A's answer to B's first
 * refusal is measured 20 times for each change, first with Redis up (announced on the channel: the 95th percentile
 * under 100 ms), then with Redis stopped (found by B's sync loop, {@code udapi.sync.interval=1s}: under 2 s). B is
 * asked as fast as it answers; nothing sleeps between the change and the refusal.
 *
 * <p>Polls go to a route with no definition: a proved secret answers 404/5 there (authentication comes first), a
 * refused one 401, so polling runs no script.
 */
class PushedChangesIT {

    private static final int ROUNDS = 20;
    /** Changes of each kind made first and not counted, with Redis up: they run code the JIT has not compiled yet. */
    private static final int WARM_UP = 3;
    private static final String NOWHERE = "pushed/nowhere";
    private static final Duration PUSHED_P95 = Duration.ofMillis(100);
    private static final Duration POLLED_P95 = Duration.ofSeconds(2);

    @TempDir
    Path work;

    enum Change { disable, rotate, delete }

    private record Token(String id, String secret) {
    }

    @Test
    void tokenDisabledRotatedOrDeletedOnAIsRefusedOnBWithin100MsPushedAndWithin2sWithRedisDown() throws Exception {
        ElasticsearchProcess es = ElasticsearchProcess.shared();
        String prefix = "udapi-pushed-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try (RedisServer redis = RedisServer.startNew();
             ServiceProcess a = instance(es, prefix, "a", redis); ServiceProcess b = instance(es, prefix, "b", redis)) {
            AdminClient onA = new AdminClient(a.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            AdminClient onB = new AdminClient(b.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            awaitReadiness(b, "\"changePush\":\"up\"", Duration.ofSeconds(20));
            awaitReadiness(a, "\"changePush\":\"up\"", Duration.ofSeconds(20));

            List<String> report = new ArrayList<>();
            for (Change change : Change.values()) {
                List<Token> tokens = tokens(onA, onB, "pushed-" + change, WARM_UP + ROUNDS);
                List<Long> millis = new ArrayList<>();
                for (Token token : tokens) {
                    millis.add(refusalOnB(onA, onB, token, change));
                }
                millis = millis.subList(WARM_UP, millis.size());   // the first changes of a kind run cold code
                report.add(summary("pushed", change, millis));
                assertTrue(p95(millis) < PUSHED_P95.toMillis(), change + " with Redis up: " + report.get(report.size() - 1));
            }
            assertTrue(metric(b, "udapi_sync_pushes_total{result=\"applied\"}") >= 3 * ROUNDS,
                    "B applied the announced changes");

            // a hostile publisher on the server: garbage is counted and dropped; a forged announcement of a live
            // token makes B re-read it from the store, and the token stays exactly as stored
            Token live = tokens(onA, onB, "forged", 1).get(0);
            double ignored = metric(b, "udapi_sync_pushes_total{result=\"ignored\"}");
            double applied = metric(b, "udapi_sync_pushes_total{result=\"applied\"}");
            assertEquals(":2", redis.command("PUBLISH udapi:changes \"v2 00 token x\""), "both instances subscribed");
            redis.command("PUBLISH udapi:changes \"v1 zz token " + live.id() + "\"");
            redis.command("PUBLISH udapi:changes \"v1 0123 token " + "x".repeat(300) + "\"");
            redis.command("PUBLISH udapi:changes \"v1 0123 token " + live.id() + "\"");
            await(() -> metric(b, "udapi_sync_pushes_total{result=\"ignored\"}") >= ignored + 3
                    && metric(b, "udapi_sync_pushes_total{result=\"applied\"}") >= applied + 1,
                    Duration.ofSeconds(5), "B counted three malformed messages and applied the forged one");
            assertTrue(proves(onB, live.secret()), "the forged announcement changed nothing on B");

            redis.stop();
            awaitReadiness(b, "\"changePush\":\"down\"", Duration.ofSeconds(10));
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                for (Change change : Change.values()) {
                    List<Token> tokens = tokens(onA, onB, "polled-" + change);
                    List<Future<Long>> rounds = new ArrayList<>();
                    for (Token token : tokens) {
                        rounds.add(pool.submit(() -> refusalOnB(onA, onB, token, change)));
                    }
                    List<Long> millis = new ArrayList<>();
                    for (Future<Long> round : rounds) {
                        millis.add(round.get(60, TimeUnit.SECONDS));
                    }
                    report.add(summary("Redis down", change, millis));
                    assertTrue(p95(millis) < POLLED_P95.toMillis(), change + " with Redis down: " + report.get(report.size() - 1));
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(metric(a, "udapi_sync_pushes_total{result=\"publish_failed\"}") >= 3 * ROUNDS,
                    "A counted the announcements it could not publish");

            redis.start();
            awaitReadiness(b, "\"changePush\":\"up\"", Duration.ofSeconds(10));
            Token last = tokens(onA, onB, "pushed-again").get(0);
            long again = refusalOnB(onA, onB, last, Change.disable);
            report.add("pushed again after Redis returned: disable refused on B after " + again + " ms");
            report.forEach(line -> System.out.println("[pushed-changes] " + line));
            assertTrue(again < 1_000, "pushes resume without a restart: " + again + " ms");
        }
    }

    private ServiceProcess instance(ElasticsearchProcess es, String prefix, String name, RedisServer redis) throws Exception {
        return ServiceProcess.onElasticsearch(work, es.hostAndPort(), prefix, MultiInstanceIT.PEPPER, name,
                "udapi.limits.scope", "cluster", "udapi.limits.redis.url", redis.url(),
                "udapi.sync.interval", "1s", "udapi.access-log.enabled", "false").start();
    }

    /** {@code count} ({@link #ROUNDS}) tokens made on A, each proved on B (its first use there runs Argon2 once). */
    private static List<Token> tokens(AdminClient onA, AdminClient onB, String name) throws Exception {
        return tokens(onA, onB, name, ROUNDS);
    }

    private static List<Token> tokens(AdminClient onA, AdminClient onB, String name, int count) throws Exception {
        List<Token> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> created = onA.send("POST", "/admin/v1/tokens", "{\"name\":\"" + name + "-" + i + "\"}");
            assertEquals(201, created.statusCode(), created.body());
            tokens.add(new Token(AdminClient.field(created.body(), "id"), AdminClient.field(created.body(), "secret")));
        }
        for (Token token : tokens) {
            await(() -> proves(onB, token.secret()), Duration.ofSeconds(10), "token " + token.id() + " works on B");
        }
        return tokens;
    }

    /** Makes {@code change} on A and answers the milliseconds from A's answer to B's first refusal. */
    private static long refusalOnB(AdminClient onA, AdminClient onB, Token token, Change change) throws Exception {
        HttpResponse<String> answer = switch (change) {
            case disable -> onA.send("PATCH", "/admin/v1/tokens/" + token.id(), "{\"isDisabled\":true}");
            case rotate -> onA.send("POST", "/admin/v1/tokens/" + token.id() + "/rotate", "{}");
            case delete -> onA.send("DELETE", "/admin/v1/tokens/" + token.id(), null);
        };
        long acknowledged = System.nanoTime();
        assertEquals(change == Change.delete ? 204 : 200, answer.statusCode(), answer.body());
        assertTrue(!proves(onA, token.secret()), "A refuses at once after " + change);
        await(() -> !proves(onB, token.secret()), Duration.ofSeconds(10), change + " of " + token.id() + " reaches B");
        return (System.nanoTime() - acknowledged) / 1_000_000;
    }

    private static boolean proves(AdminClient on, String secret) throws Exception {
        HttpResponse<String> answer = on.trigger(NOWHERE, secret);
        if (answer.statusCode() != 404 && answer.statusCode() != 401) {
            throw new AssertionError("unexpected answer " + answer.statusCode() + ": " + answer.body());
        }
        return answer.statusCode() == 404;
    }

    private static void await(Callable<Boolean> condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout);
            }
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String get(ServiceProcess on, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.managementPort() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void awaitReadiness(ServiceProcess on, String fragment, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = get(on, "/q/health/ready").replace(" ", "");
            if (last.contains(fragment)) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("readiness never showed " + fragment + " within " + timeout + ": " + last);
    }

    private static double metric(ServiceProcess on, String series) throws Exception {
        for (String line : get(on, "/q/metrics").split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series);
    }

    private static long p95(List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
    }

    private static String summary(String phase, Change change, List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return String.format("%s, %s x%d: refused on B after p50 %d ms, p95 %d ms, max %d ms (all: %s)", phase, change,
                sorted.size(), sorted.get(sorted.size() / 2), p95(sorted), sorted.get(sorted.size() - 1), millis);
    }
}
