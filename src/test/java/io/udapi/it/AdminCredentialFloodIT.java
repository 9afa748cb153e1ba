package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of wrong admin credentials against the packaged service (docs/security.md, "Admin credentials"):
 * rounds of 96 concurrent requests, each with a password never seen before, so no failure memory helps and
 * every one needs Argon2 (19 MiB each). The bounded gate keeps the resident memory from growing more than
 * {@link #MAX_RSS_GROWTH_MIB} MiB, every answer is 401, 429 {@code TooManyAttempts} (the name {@code admin} past
 * its attempts a minute) or 503 {@code AuthenticationBusy}, and a cached trigger
 * keeps answering 200 throughout. The trigger's latency before and during the flood is printed (a figure for
 * the record, not an assertion: timings belong to benchmarks).
 */
class AdminCredentialFloodIT {

    static final int CONCURRENT = 96;
    static final int ROUNDS = 5;
    static final long MAX_RSS_GROWTH_MIB = 150;

    @TempDir
    Path dir;

    @Test
    void ninetySixConcurrentWrongCredentialsThenBoundedMemoryOnly401Or503AndCachedTriggersServed() throws Exception {
        try (ServiceProcess udapi = new ServiceProcess(dir.resolve("data"), dir.resolve("udapi.log"), Map.of()).start()) {
            AdminClient admin = new AdminClient(udapi.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            HttpResponse<String> token = admin.send("POST", "/admin/v1/tokens", "{\"name\":\"flood-client\"}");
            assertEquals(201, token.statusCode(), token.body());
            String secret = AdminClient.field(token.body(), "secret");
            String tokenId = AdminClient.field(token.body(), "id");
            HttpResponse<String> definition = admin.send("POST", "/admin/v1/definitions", "{\"route\":\"flood/hello\","
                    + "\"allowedTokens\":[\"" + tokenId + "\"],\"actionMeta\":{\"scriptName\":\"hello\"}}");
            assertEquals(201, definition.statusCode(), definition.body());

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpRequest trigger = HttpRequest.newBuilder(URI.create(udapi.baseUrl() + "/api/custom/flood/hello"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + secret).GET().build();
            for (int i = 0; i < 50; i++) { // warm: the secret is cached after the first, the JIT after a few
                assertEquals(200, client.send(trigger, HttpResponse.BodyHandlers.discarding()).statusCode());
            }
            List<Long> quiet = triggerLatencies(client, trigger, 100, null);
            long rssBefore = rssKib(udapi.pid());

            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicLong peakRss = new AtomicLong(rssBefore);
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                try {
                    peakRss.accumulateAndGet(rssKib(udapi.pid()), Math::max);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            List<Long> duringFlood = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Void> triggers = CompletableFuture.runAsync(() -> {
                try {
                    duringFlood.addAll(triggerLatencies(client, trigger, Integer.MAX_VALUE, flooding));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            HttpClient attacker = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            for (int round = 0; round < ROUNDS; round++) {
                List<CompletableFuture<HttpResponse<Void>>> flood = new ArrayList<>();
                for (int i = 0; i < CONCURRENT; i++) {
                    String user = i % 4 == 0 ? "nobody-" + i : "admin"; // unknown names cost the same Argon2 run
                    String basic = Base64.getEncoder().encodeToString((user + ":wrong-" + UUID.randomUUID())
                            .getBytes(StandardCharsets.UTF_8));
                    flood.add(attacker.sendAsync(HttpRequest.newBuilder(URI.create(udapi.baseUrl() + "/admin/v1/tokens"))
                            .timeout(Duration.ofSeconds(60)).header("Authorization", "Basic " + basic).GET().build(),
                            HttpResponse.BodyHandlers.discarding()));
                }
                for (CompletableFuture<HttpResponse<Void>> answer : flood) {
                    statuses.merge(answer.get().statusCode(), 1, Integer::sum);
                }
            }
            flooding.set(false);
            triggers.get();
            sampler.shutdown();
            assertTrue(sampler.awaitTermination(10, TimeUnit.SECONDS));

            long growthMib = (peakRss.get() - rssBefore) / 1024;
            System.out.printf("admin credential flood: %d requests in rounds of %d, statuses %s; RSS %d MiB before, "
                            + "peak %d MiB (+%d MiB); cached trigger p50/p99 %.2f/%.2f ms quiet, %.2f/%.2f ms during the "
                            + "flood (%d triggers)%n",
                    CONCURRENT * ROUNDS, CONCURRENT, statuses, rssBefore / 1024, peakRss.get() / 1024, growthMib,
                    percentile(quiet, 50), percentile(quiet, 99), percentile(duringFlood, 50), percentile(duringFlood, 99),
                    duringFlood.size());
            assertEquals(CONCURRENT * ROUNDS, statuses.getOrDefault(401, 0) + statuses.getOrDefault(429, 0)
                    + statuses.getOrDefault(503, 0), "every answer to a wrong credential is 401, 429 or 503: " + statuses);
            assertTrue(statuses.getOrDefault(429, 0) > 0, "the name admin, guessed at beyond its attempts a minute, "
                    + "was throttled: " + statuses);
            assertTrue(growthMib < MAX_RSS_GROWTH_MIB, "resident memory grew by " + growthMib + " MiB under the flood");
            assertTrue(duringFlood.size() > 0, "no trigger was answered during the flood");
        }
    }

    /** Sequential triggers (each asserted 200): {@code count} of them, or while {@code running} holds. */
    private static List<Long> triggerLatencies(HttpClient client, HttpRequest trigger, int count, AtomicBoolean running)
            throws Exception {
        List<Long> nanos = new ArrayList<>();
        while (nanos.size() < count && (running == null || running.get())) {
            long t0 = System.nanoTime();
            int status = client.send(trigger, HttpResponse.BodyHandlers.discarding()).statusCode();
            nanos.add(System.nanoTime() - t0);
            assertEquals(200, status, "a cached trigger");
        }
        return nanos;
    }

    private static double percentile(List<Long> nanos, int p) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    private static long rssKib(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmRSS for " + pid);
    }
}
