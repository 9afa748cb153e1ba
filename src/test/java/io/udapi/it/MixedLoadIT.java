package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sustained mixed load against the packaged service: admitted triggers, rate-limited ones, random
 * invalid secrets and unknown routes, from concurrent clients. Every answer must be one the spec
 * prescribes for its kind (no other 5xx), and the event loop must never be reported blocked.
 */
class MixedLoadIT {

    private static final Duration LOAD = Duration.ofSeconds(20);

    @TempDir
    Path work;

    @Test
    void mixedLoadAnswersOnlyPrescribedStatusesAndNeverBlocksTheEventLoop() throws Exception {
        Path log = work.resolve("udapi.log");
        try (ServiceProcess service = new ServiceProcess(work.resolve("data"), log,
                ServiceProcess.config("udapi.access-log.enabled", "false")).start()) {
            AdminClient admin = new AdminClient(service.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            String free = secretOf(admin.send("POST", "/admin/v1/tokens", "{\"name\":\"load-free\"}").body());
            String limitedBody = admin.send("POST", "/admin/v1/tokens",
                    "{\"name\":\"load-limited\",\"rateLimit\":{\"limit\":5,\"window\":\"PT10S\"}}").body();
            String limited = secretOf(limitedBody);
            String freeId = idOf(admin.send("GET", "/admin/v1/tokens?name=load-free", null).body());
            String limitedId = AdminClient.field(limitedBody, "id");
            assertEquals(201, admin.send("POST", "/admin/v1/definitions", "{\"route\":\"load/{n}\",\"allowedTokens\":[\""
                    + freeId + "\",\"" + limitedId + "\"],\"actionMeta\":{\"scriptName\":\"hello\"}}").statusCode());

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
            List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
            long end = System.nanoTime() + LOAD.toNanos();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                clients.add(new Thread(() -> {
                    for (long i = 0; System.nanoTime() < end; i++) {
                        Kind kind = Kind.values()[(int) ((i + client) % Kind.values().length)];
                        String secret = switch (kind) {
                            case ADMITTED, UNKNOWN_ROUTE -> free;
                            case RATE_LIMITED -> limited;
                            case BAD_SECRET -> "random-" + UUID.randomUUID() + "-" + UUID.randomUUID();
                        };
                        String route = kind == Kind.UNKNOWN_ROUTE ? "nowhere/" + i : "load/" + i;
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                            URI.create(service.baseUrl() + "/api/custom/" + route))
                                    .header("Authorization", "Bearer " + secret).timeout(Duration.ofSeconds(30)).GET().build(),
                                    HttpResponse.BodyHandlers.ofString());
                            int status = response.statusCode();
                            outcomes.computeIfAbsent(kind + " " + status, k -> new AtomicLong()).incrementAndGet();
                            if (!kind.allows(status)) {
                                unexpected.add(kind + " → " + status + " " + response.body());
                            }
                        } catch (Exception e) {
                            unexpected.add(kind + " → " + e);
                        }
                    }
                }));
            }
            clients.forEach(Thread::start);
            for (Thread client : clients) {
                client.join();
            }
            long total = outcomes.values().stream().mapToLong(AtomicLong::get).sum();
            System.out.printf("MixedLoadIT: %d requests in %s: %s%n", total, LOAD, new TreeMap<>(outcomes));
            assertTrue(unexpected.isEmpty(), "unexpected answers: " + unexpected.subList(0, Math.min(5, unexpected.size())));
            assertTrue(outcomes.getOrDefault("ADMITTED 200", new AtomicLong()).get() > 0);
            assertTrue(outcomes.getOrDefault("RATE_LIMITED 429", new AtomicLong()).get() > 0);
        }
        String text = Files.readString(log);
        assertFalse(text.contains("has been blocked for"), "Vert.x reported a blocked thread");
        assertFalse(text.contains(" ERROR "), "no error was logged");
    }

    /** What the spec allows for each kind of request. */
    private enum Kind {
        ADMITTED(200), RATE_LIMITED(200, 429), BAD_SECRET(401), UNKNOWN_ROUTE(404);

        private final List<Integer> allowed;

        Kind(Integer... allowed) {
            this.allowed = List.of(allowed);
        }

        boolean allows(int status) {
            return allowed.contains(status);
        }
    }

    private static String secretOf(String json) {
        return AdminClient.field(json, "secret");
    }

    private static String idOf(String listJson) {
        return AdminClient.field(listJson, "id");
    }
}
