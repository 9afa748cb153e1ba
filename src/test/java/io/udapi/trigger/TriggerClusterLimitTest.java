package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.assertError;
import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.metric;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.udapi.limit.Decision;
import io.udapi.limit.LimiterKey;
import io.udapi.limit.redis.PipelinedConnection;
import io.udapi.limit.redis.RedisLimiter;
import io.udapi.limit.redis.RedisServer;
import io.udapi.trigger.TriggerTestSupport.Token;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Cluster scope over real HTTP (docs/concepts.md, "Rate limits"): one application with
 * {@code udapi.limits.scope=cluster} on a real {@code redis-server}, and a second, independent limiter client on the
 * same server standing for another instance. The limit holds exactly across both; when the server stops, triggers
 * are still answered (this instance's own counts), the metric and the readiness data say so, and when it is back,
 * cluster decisions resume without a restart. Waits are polls with a deadline, never sleeps.
 */
@QuarkusTest
@TestProfile(TriggerClusterLimitTest.ClusterProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TriggerClusterLimitTest {

    static final String PORT_PROPERTY = "test.cluster-redis.port";
    static final String PREFIX = "udapi:limit:";

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    /** The scripts profile, in cluster scope on a redis-server this profile starts (once per JVM). */
    public static class ClusterProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            synchronized (ClusterProfile.class) {
                if (System.getProperty(PORT_PROPERTY) == null) {
                    System.setProperty(PORT_PROPERTY, Integer.toString(RedisServer.startNew().port()));
                }
            }
            Map<String, String> config = new HashMap<>(new TriggerTestSupport.ScriptsProfile().getConfigOverrides());
            config.put("udapi.limits.scope", "cluster");
            config.put("udapi.limits.redis.url", "redis://127.0.0.1:" + System.getProperty(PORT_PROPERTY));
            // generous for a loaded test machine: a timeout here would make the exactness test decide locally
            config.put("udapi.limits.cluster-timeout", "2s");
            config.put("udapi.limits.cluster-retry-interval", "200ms");
            return config;
        }
    }

    private static int port() {
        return Integer.parseInt(System.getProperty(PORT_PROPERTY));
    }

    private static String key(String tokenId, String definitionId) {
        return PREFIX + tokenId.length() + ":" + tokenId + ":" + definitionId;
    }

    @Test
    @Order(1)
    void limitInClusterScopeIsExactAcrossTwoLimiterClientsUnderConcurrency() throws Exception {
        int limit = 25;
        Token token = createToken(Map.of("rateLimit", Map.of("limit", limit, "window", "PT1H")));
        String route = unique("cl-exact");
        String definitionId = createDefinition(route, "ok", token);
        trigger(token.secret()).get("/api/custom/" + unique("cl-warm")).then().statusCode(404); // caches the secret

        Vertx vertx = Vertx.vertx();
        Redis other = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port())
                .setMaxPoolSize(4).setMaxPoolWaiting(1024));
        RedisLimiter otherInstance = new RedisLimiter(new PipelinedConnection(other), PREFIX, null);
        LimiterKey sameKey = new LimiterKey(token.id(), definitionId);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> http = new ArrayList<>();
            List<CompletableFuture<Decision>> direct = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                http.add(pool.submit(() -> trigger(token.secret()).get("/api/custom/" + route).statusCode()));
                direct.add(otherInstance.tryAcquire(sameKey, limit, 3_600_000_000_000L).toCompletableFuture());
            }
            int admitted = 0;
            int refused = 0;
            for (Future<Integer> f : http) {
                int status = f.get(60, TimeUnit.SECONDS);
                if (status == 200) {
                    admitted++;
                } else {
                    assertEquals(429, status);
                    refused++;
                }
            }
            for (CompletableFuture<Decision> d : direct) {
                if (d.get(60, TimeUnit.SECONDS).allowed()) {
                    admitted++;
                } else {
                    refused++;
                }
            }
            assertEquals(limit, admitted, "admitted across both clients");
            assertEquals(120 - limit, refused);
            assertEquals(":" + limit, RedisServer.command(port(), "LLEN " + key(token.id(), definitionId)));
            assertEquals(0.0, metric(metrics, "udapi_limits_cluster_fallbacks_total"), "every decision was the server's");
            assertEquals(1.0, metric(metrics, "udapi_limits_cluster_available"));
        } finally {
            pool.shutdownNow();
            other.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Short windows, for about 2.5 s of real time: HTTP triggers and the other client's attempts keep coming. The
     * server's log (every admission of both, stamped on its clock) is read after every attempt: a stamp stays in it
     * at least a window, and an idle key may expire once nothing in it counts, so the union of the reads is every
     * admission of the run. It holds exactly the admissions both clients saw, and never more than {@code limit} in
     * any half-open window.
     */
    @Test
    @Order(2)
    void limitInClusterScopeWithShortWindowNeverExceedsLimitInAnyWindow() throws Exception {
        int limit = 5;
        Token token = createToken(Map.of("rateLimit", Map.of("limit", limit, "window", "PT1S")));
        String route = unique("cl-window");
        String definitionId = createDefinition(route, "ok", token);
        Vertx vertx = Vertx.vertx();
        Redis other = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port()));
        RedisLimiter otherInstance = new RedisLimiter(new PipelinedConnection(other), PREFIX, null);
        LimiterKey sameKey = new LimiterKey(token.id(), definitionId);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
            java.util.Set<Long> seen = new java.util.HashSet<>();
            List<Future<Integer>> http = new ArrayList<>();
            int admitted = 0;
            for (int round = 0; round < 10_000 && System.nanoTime() < end; round++) {
                http.add(pool.submit(() -> trigger(token.secret()).get("/api/custom/" + route).statusCode()));
                if (otherInstance.tryAcquire(sameKey, limit, 1_000_000_000L).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS).allowed()) {
                    admitted++;
                }
                seen.addAll(log(other, key(token.id(), definitionId)));
                if (http.size() > 16) {
                    admitted += http.remove(0).get(30, TimeUnit.SECONDS) == 200 ? 1 : 0;
                }
            }
            for (Future<Integer> f : http) {
                admitted += f.get(30, TimeUnit.SECONDS) == 200 ? 1 : 0;
            }
            seen.addAll(log(other, key(token.id(), definitionId)));
            List<Long> stamps = new ArrayList<>(seen);
            stamps.sort(null);
            assertEquals(stamps.size(), admitted, "each admission of either client is in the log, once");
            assertTrue(admitted >= 2 * limit, "the run spans several windows: " + admitted);
            for (int i = 0; i + limit < stamps.size(); i++) {
                long span = stamps.get(i + limit) - stamps.get(i);
                assertTrue(span >= 1_000_000, "admissions " + i + ".." + (i + limit) + " lie within " + span + " µs");
            }
        } finally {
            pool.shutdownNow();
            other.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(3)
    void limitWhenServerStopsThenLocalFallbackAnswersAndWhenBackClusterDecisionsResume() {
        Token token = createToken(Map.of("rateLimit", Map.of("limit", 3, "window", "PT1H")));
        String route = unique("cl-outage");
        String definitionId = createDefinition(route, "ok", token);
        String path = "/api/custom/" + route;
        trigger(token.secret()).get(path).then().statusCode(200).header("RateLimit", "\"default\";r=2;t=3600");
        assertEquals(":1", RedisServer.command(port(), "LLEN " + key(token.id(), definitionId)));
        assertEquals("cluster-up", readiness().getString("checks.find { it.name == 'udapi-cache' }.data.rateLimits"));

        RedisServer.command(port(), "SHUTDOWN NOSAVE");
        await(() -> RedisServer.command(port(), "PING") == null, "the server stopped");
        double fallbacksBefore = metric(metrics, "udapi_limits_cluster_fallbacks_total");
        // this instance's own ring decides now: it has counted nothing of this key, so three more, then 429
        for (int remaining = 2; remaining >= 0; remaining--) {
            trigger(token.secret()).get(path).then().statusCode(200)
                    .header("RateLimit", "\"default\";r=" + remaining + ";t=3600");
        }
        assertError(trigger(token.secret()).get(path), 429, 1014).then()
                .header("Retry-After", "3600").header("RateLimit", "\"default\";r=0;t=3600")
                .body("errors[0].detail", org.hamcrest.Matchers.equalTo(
                        "At most 3 requests per 3600 s are allowed; retry in 3600 s."));
        assertEquals(0.0, metric(metrics, "udapi_limits_cluster_available"));
        assertTrue(metric(metrics, "udapi_limits_cluster_fallbacks_total") >= fallbacksBefore + 4);
        JsonPath down = readiness();
        assertEquals("UP", down.getString("status"), "a server outage never makes the instance unready");
        assertEquals("cluster-down", down.getString("checks.find { it.name == 'udapi-cache' }.data.rateLimits"));

        // empty (no persistence); it stays up for any later test of this profile, and the JVM's exit stops it
        RedisServer restarted = RedisServer.startOn(port());
        Token probe = createToken(Map.of("rateLimit", Map.of("limit", 100, "window", "PT1S")));
        String probeRoute = unique("cl-probe");
        createDefinition(probeRoute, "ok", probe);
        // once the retry interval has passed, the next trigger asks the server again
        await(() -> {
            trigger(probe.secret()).get("/api/custom/" + probeRoute);
            return metric(metrics, "udapi_limits_cluster_available") == 1.0;
        }, "cluster decisions resumed");
        // the server's log of this key is new (the restart lost it): the cluster decides again, not the ring
        trigger(token.secret()).get(path).then().statusCode(200).header("RateLimit", "\"default\";r=2;t=3600");
        assertEquals(":1", restarted.command("LLEN " + key(token.id(), definitionId)));
        assertEquals("cluster-up", readiness().getString("checks.find { it.name == 'udapi-cache' }.data.rateLimits"));
    }

    /** The stamps of the server's log of {@code key} (empty when it has expired). */
    private static List<Long> log(Redis client, String key) throws Exception {
        List<Long> stamps = new ArrayList<>();
        client.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.LRANGE).arg(key).arg(0).arg(-1))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .forEach(r -> stamps.add(r.toLong()));
        return stamps;
    }

    private JsonPath readiness() {
        return new JsonPath(RestAssured.given().get(ready).then().statusCode(200).extract().asString());
    }

    /** Polls {@code condition} until it holds, failing after 20 s. */
    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
