package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.metric;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.udapi.LogCapture;
import io.restassured.path.json.JsonPath;
import io.udapi.limit.redis.RedisServer;
import io.udapi.trigger.TriggerTestSupport.Token;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * Cluster scope when its server is killed under load (docs/operations.md, "Rate limits of cluster scope"; issue 17):
 * 6 client threads keep triggering three tokens with limits while the {@code redis-server} dies of SIGKILL (no
 * shutdown: what is in flight gets no reply, connections are reset) and is later started again, empty, on the
 * same port. What an operator relies on:
 * <ol>
 *   <li>every trigger is still answered 200 or 429, before, during and after the outage, never 5xx;</li>
 *   <li>during the outage {@code udapi_limits_cluster_available} is 0, {@code udapi_limits_cluster_fallbacks_total}
 *       grows by at least one per trigger of the outage, and readiness stays UP with {@code rateLimits:
 *       cluster-down};</li>
 *   <li>once the server is back, while the load goes on and without a restart, available is 1 again, readiness
 *       says {@code cluster-up}, fallbacks stop growing and the server's log fills with new admissions: the token of
 *       limit 5 per hour is admitted exactly 5 times by the cluster before the kill, 5 times by this instance's own
 *       counts during the outage (they never saw the cluster's), and 5 times by the restarted, empty server;</li>
 *   <li>the log has one WARN for the transition down and one INFO for the return, not one per request; nothing
 *       else of udapi's logs a warning (captured with a {@code java.util.logging} handler on the root logger, as
 *       TriggerAccessLogTest does).</li>
 * </ol>
 *
 * <p>The application has its own profile and server: the port is chosen before the application starts (its
 * configuration needs it) and the test starts the server itself, so that it owns the process it kills. Nothing
 * connects before the first trigger. Waits are polls with a deadline; the counts are printed.
 */
@QuarkusTest
@TestProfile(TriggerClusterRedisKilledTest.KilledProfile.class)
class TriggerClusterRedisKilledTest {

    static final String PORT_PROPERTY = "test.killed-redis.port";
    static final String PREFIX = "udapi:limit:";
    private static final int THREADS = 6;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String CLUSTER_LIMITS = "io.udapi.config.ClusterLimits";

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource("/api/custom/")
    URL custom;

    /** The scripts profile in cluster scope, on a port chosen here, where the test starts the server. */
    public static class KilledProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            synchronized (KilledProfile.class) {
                if (System.getProperty(PORT_PROPERTY) == null) {
                    System.setProperty(PORT_PROPERTY, Integer.toString(RedisServer.freeLoopbackPort()));
                }
            }
            Map<String, String> config = new HashMap<>(new TriggerTestSupport.ScriptsProfile().getConfigOverrides());
            config.put("udapi.limits.scope", "cluster");
            config.put("udapi.limits.redis.url", "redis://127.0.0.1:" + System.getProperty(PORT_PROPERTY));
            // generous for a loaded test machine: with the server up, no decision may fall back
            config.put("udapi.limits.cluster-timeout", "2s");
            config.put("udapi.limits.cluster-retry-interval", "200ms");
            config.put("udapi.access-log.enabled", "false");
            return config;
        }
    }

    private enum Phase { BEFORE, OUTAGE, AFTER }

    private record Target(String key, String route, String secret) {
    }

    /** The load: each thread triggers random targets, one request at a time, until told to stop. */
    private final class Load {
        final List<Target> targets;
        volatile Phase phase = Phase.BEFORE;
        volatile boolean stop;
        final AtomicLong answered = new AtomicLong();
        final AtomicLongArray answeredBy = new AtomicLongArray(THREADS);
        final Map<Phase, Map<Integer, LongAdder>> statuses = new ConcurrentHashMap<>();
        final Map<String, LongAdder> admitted = new ConcurrentHashMap<>();
        final AtomicReference<String> unexpected = new AtomicReference<>();
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        final List<Future<?>> clients = new ArrayList<>();

        Load(List<Target> targets) {
            this.targets = targets;
            for (Target target : targets) {
                admitted.put(target.key(), new LongAdder());
            }
            for (Phase p : Phase.values()) {
                statuses.put(p, new ConcurrentHashMap<>());
            }
        }

        void start() {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                clients.add(pool.submit(() -> {
                    while (!stop && unexpected.get() == null) {
                        Target target = targets.get(ThreadLocalRandom.current().nextInt(targets.size()));
                        Phase sentIn = phase;
                        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(custom + target.route()))
                                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + target.secret())
                                .GET().build(), HttpResponse.BodyHandlers.ofString());
                        int status = answer.statusCode();
                        statuses.get(sentIn).computeIfAbsent(status, s -> new LongAdder()).increment();
                        if (status == 200) {
                            admitted.get(target.key()).increment();
                        } else if (status != 429) {
                            unexpected.compareAndSet(null, status + " (" + sentIn + "): " + answer.body());
                        }
                        answered.incrementAndGet();
                        answeredBy.incrementAndGet(thread);
                    }
                    return null;
                }));
            }
        }

        /** Waits until {@code more} further triggers have been answered. */
        void awaitAnswers(long more, String what) {
            long target = answered.get() + more;
            await(() -> answered.get() >= target || unexpected.get() != null, what);
            assertTrue(unexpected.get() == null, "every trigger answers 200 or 429; got " + unexpected.get());
        }

        /** Waits until each thread has had {@code more} further answers: what any had in flight is answered. */
        void awaitEachThread(int more, String what) {
            long[] target = new long[THREADS];
            for (int t = 0; t < THREADS; t++) {
                target[t] = answeredBy.get(t) + more;
            }
            await(() -> {
                for (int t = 0; t < THREADS; t++) {
                    if (answeredBy.get(t) < target[t] && unexpected.get() == null) {
                        return false;
                    }
                }
                return true;
            }, what);
            assertTrue(unexpected.get() == null, "every trigger answers 200 or 429; got " + unexpected.get());
        }

        long count(Phase p) {
            return statuses.get(p).values().stream().mapToLong(LongAdder::sum).sum();
        }

        void stopAndJoin() throws Exception {
            stop = true;
            try {
                for (Future<?> client : clients) {
                    client.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void triggersWhenServerIsKilledUnderLoadThenAnsweredLocallyAndWhenRestartedClusterDecisionsResume() throws Exception {
        LogCapture capture = LogCapture.start();
        List<LogRecord> records = capture.records();
        int port = Integer.parseInt(System.getProperty(PORT_PROPERTY));
        // nothing here asks the server yet
        Token exact = createToken(Map.of("rateLimit", Map.of("limit", 5, "window", "PT1H")));
        Token busy = createToken(Map.of("rateLimit", Map.of("limit", 20, "window", "PT1S")));
        Token tight = createToken(Map.of("rateLimit", Map.of("limit", 3, "window", "PT1S")));
        String route = unique("cl-killed");
        Token probe = createToken(Map.of("rateLimit", Map.of("limit", 100, "window", "PT1S")));
        String definitionId = createDefinition(route, "ok", exact, busy, tight, probe);
        List<Target> targets = new ArrayList<>();
        for (Token token : List.of(exact, busy, tight)) {
            targets.add(new Target(key(token.id(), definitionId), route, token.secret()));
        }
        String exactKey = targets.get(0).key();
        String busyKey = targets.get(1).key();
        Load load = new Load(targets);
        try (RedisServer server = RedisServer.startOn(port)) {
            // the instance started before the server (its start-up check found nothing there): a trigger of a token
            // outside the load asks again, once per retry interval, until the server has answered
            await(() -> {
                trigger(probe.secret()).get("/api/custom/" + route).then().statusCode(200);
                return metric(metrics, "udapi_limits_cluster_available") == 1.0;
            }, "the server answers the instance");
            double fallbacksBefore = metric(metrics, "udapi_limits_cluster_fallbacks_total");
            records.clear();   // the return of the start-up outage is not the one this test is about
            load.start();

            // ---- before: the server decides
            await(() -> ":5".equals(server.command("LLEN " + exactKey)) || load.unexpected.get() != null,
                    "the server admitted the hourly token's 5");
            load.awaitAnswers(200, "200 triggers with the server up");
            assertEquals(1.0, metric(metrics, "udapi_limits_cluster_available"));
            assertEquals(fallbacksBefore, metric(metrics, "udapi_limits_cluster_fallbacks_total"),
                    "every decision of the load was the server's");
            assertEquals("cluster-up", rateLimits(readiness()));

            // ---- the server dies under load
            long pid = server.pid();
            double fallbacksAtKill = metric(metrics, "udapi_limits_cluster_fallbacks_total");
            assertEquals(0.0, fallbacksAtKill, "every decision up to the kill was the server's");
            server.kill();
            load.phase = Phase.OUTAGE;
            await(() -> metric(metrics, "udapi_limits_cluster_available") == 0.0, "available is 0");
            load.awaitAnswers(300, "300 triggers during the outage");
            await(() -> load.admitted.get(exactKey).sum() >= 10 || load.unexpected.get() != null,
                    "this instance's own counts admitted the hourly token's 5 again");
            assertTrue(load.unexpected.get() == null, "every trigger answers 200 or 429; got " + load.unexpected.get());
            double fallbacksInOutage = metric(metrics, "udapi_limits_cluster_fallbacks_total");
            assertTrue(fallbacksInOutage >= fallbacksAtKill + 300, "fallbacks grow: " + fallbacksAtKill + " then "
                    + fallbacksInOutage);
            assertEquals(0.0, metric(metrics, "udapi_limits_cluster_available"));
            JsonPath down = readiness();
            assertEquals("UP", down.getString("status"), "a server outage never makes the instance unready");
            assertEquals("cluster-down", rateLimits(down));
            assertEquals(null, server.command("PING"), "the server is really gone");

            // ---- back, empty, on the same port; the load goes on
            server.start();
            load.phase = Phase.AFTER;
            await(() -> metric(metrics, "udapi_limits_cluster_available") == 1.0, "available is 1 again");
            JsonPath up = readiness();
            assertEquals("UP", up.getString("status"));
            assertEquals("cluster-up", rateLimits(up));
            load.awaitEachThread(2, "the triggers in flight at the return answered");
            double fallbacksBack = metric(metrics, "udapi_limits_cluster_fallbacks_total");
            load.awaitAnswers(300, "300 triggers with the server back");
            assertEquals(fallbacksBack, metric(metrics, "udapi_limits_cluster_fallbacks_total"),
                    "no decision falls back once the server answers again");
            await(() -> ":5".equals(server.command("LLEN " + exactKey)), "the restarted server admitted the hourly token's 5");
            // the restarted server started empty: more than two windows' worth of the busy token's admissions
            await(() -> llen(server, busyKey) > 40, "new admissions keep reaching the server's log");
            load.stopAndJoin();
            assertTrue(load.unexpected.get() == null, "every trigger answers 200 or 429; got " + load.unexpected.get());

            double fallbacksEnd = metric(metrics, "udapi_limits_cluster_fallbacks_total");
            assertEquals(fallbacksBack, fallbacksEnd, "no decision fell back after the return");
            assertTrue(fallbacksEnd - fallbacksAtKill >= load.count(Phase.OUTAGE), "each trigger of the outage fell back: "
                    + (fallbacksEnd - fallbacksAtKill) + " fallbacks, " + load.count(Phase.OUTAGE) + " triggers");
            assertEquals(15, load.admitted.get(exactKey).sum(),
                    "the hourly token: 5 by the server, 5 by this instance's counts, 5 by the restarted server");
            assertEquals(":5", server.command("LLEN " + exactKey));
            Map<Integer, Long> all = new TreeMap<>();
            load.statuses.values().forEach(m -> m.forEach((s, n) -> all.merge(s, n.sum(), Long::sum)));
            assertEquals(all.keySet().stream().filter(s -> s != 200 && s != 429).toList(), List.of(),
                    "statuses other than 200 and 429: " + all);

            // ---- the log: one line per transition, none per request
            // pushed changes (on by default with cluster scope) log their own one line for the same outage
            List<LogRecord> pushWarnings = records.stream().filter(r -> "io.udapi.push.ChangePush".equals(r.getLoggerName()))
                    .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
            assertTrue(pushWarnings.size() <= 1, "at most one line of pushed changes: " + messages(pushWarnings));
            List<LogRecord> udapiWarnings = records.stream()
                    .filter(r -> r.getLoggerName() != null && r.getLoggerName().startsWith("io.udapi"))
                    .filter(r -> !"io.udapi.push.ChangePush".equals(r.getLoggerName()))
                    .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
            List<LogRecord> returns = records.stream().filter(r -> CLUSTER_LIMITS.equals(r.getLoggerName()))
                    .filter(r -> message(r).contains("answers again")).toList();
            Map<String, Long> warningsByLogger = new TreeMap<>();
            records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                    .forEach(r -> warningsByLogger.merge(String.valueOf(r.getLoggerName()), 1L, Long::sum));
            System.out.printf("[redis-killed] pid %d killed; answers before %s, during the outage %s, after %s;"
                            + " fallbacks %.0f at the kill, %.0f at the end; hourly token admitted %d; warnings by logger %s%n",
                    pid, statuses(load, Phase.BEFORE), statuses(load, Phase.OUTAGE), statuses(load, Phase.AFTER),
                    fallbacksAtKill, fallbacksEnd, load.admitted.get(exactKey).sum(), warningsByLogger);
            assertEquals(1, udapiWarnings.size(), "one warning, the transition down: " + messages(udapiWarnings));
            assertEquals(CLUSTER_LIMITS, udapiWarnings.get(0).getLoggerName());
            assertTrue(message(udapiWarnings.get(0)).contains("failed"), message(udapiWarnings.get(0)));
            assertEquals(1, returns.size(), "one line for the return: " + messages(returns));
            assertEquals(Level.INFO, returns.get(0).getLevel());
        } finally {
            load.stop = true;
            load.pool.shutdownNow();
            capture.close();
        }
    }

    private static String statuses(Load load, Phase phase) {
        Map<Integer, Long> counts = new TreeMap<>();
        load.statuses.get(phase).forEach((s, n) -> counts.put(s, n.sum()));
        return counts.toString();
    }

    private static String message(LogRecord record) {
        return LogCapture.message(record);
    }

    private static List<String> messages(List<LogRecord> records) {
        return records.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + message(r)).toList();
    }

    private static long llen(RedisServer server, String key) {
        String reply = server.command("LLEN " + key);
        return reply != null && reply.startsWith(":") ? Long.parseLong(reply.substring(1)) : -1;
    }

    private static String key(String tokenId, String definitionId) {
        return PREFIX + tokenId.length() + ":" + tokenId + ":" + definitionId;
    }

    private JsonPath readiness() {
        return new JsonPath(RestAssured.given().get(ready).then().statusCode(200).extract().asString());
    }

    private static String rateLimits(JsonPath readiness) {
        return readiness.getString("checks.find { it.name == 'udapi-cache' }.data.rateLimits");
    }

    /** Polls {@code condition} until it holds, failing after {@link #DEADLINE}. */
    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DEADLINE.toSeconds() + " s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
