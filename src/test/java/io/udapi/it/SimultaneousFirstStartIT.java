package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.store.es.ElasticsearchProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first rollout of a cluster: two packaged instances started at the same moment on one real, empty
 * Elasticsearch both create the admin user (each hashes the password with Argon2 between finding no user and
 * creating one, a window of tens of milliseconds). Exactly one create succeeds; the other instance uses that admin
 * and starts, instead of exiting, and the one create is audited once. Three rounds, each on fresh indices.
 */
class SimultaneousFirstStartIT {

    @TempDir
    Path work;

    @Test
    void twoInstancesStartedTogetherOnAnEmptyStoreBothBecomeReadyWithOneAdmin() throws Exception {
        ElasticsearchProcess es = ElasticsearchProcess.shared();
        for (int round = 0; round < 3; round++) {
            String prefix = "udapi-first-start-" + UUID.randomUUID().toString().substring(0, 8) + "-";
            ServiceProcess a = ServiceProcess.onElasticsearch(work, es.hostAndPort(), prefix, MultiInstanceIT.PEPPER, "a" + round);
            ServiceProcess b = ServiceProcess.onElasticsearch(work, es.hostAndPort(), prefix, MultiInstanceIT.PEPPER, "b" + round);
            try (a; b) {
                CompletableFuture<ServiceProcess> startA = CompletableFuture.supplyAsync(() -> start(a));
                CompletableFuture<ServiceProcess> startB = CompletableFuture.supplyAsync(() -> start(b));
                startA.get(120, TimeUnit.SECONDS);
                startB.get(120, TimeUnit.SECONDS);
                for (ServiceProcess instance : new ServiceProcess[] {a, b}) {
                    AdminClient admin = new AdminClient(instance.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
                    var users = admin.send("GET", "/admin/v1/users", null);
                    assertEquals(200, users.statusCode(), users.body());
                    assertEquals(1, users.body().split("\"name\":\"admin\"", -1).length - 1, users.body());
                    // the one create is audited once, by udapi itself, and every instance reads the same event
                    var events = admin.send("GET", "/admin/v1/events?objectType=user", null);
                    assertEquals(200, events.statusCode(), events.body());
                    assertTrue(events.body().contains("\"total\":1"), events.body());
                    assertTrue(events.body().contains("\"user\":\"udapi\""), events.body());
                    assertTrue(events.body().contains("\"action\":\"created\""), events.body());
                    assertTrue(events.body().contains("\"objectId\":\"admin\""), events.body());
                }
                String logs = Files.readString(a.logFile()) + Files.readString(b.logFile());
                int created = logs.split("created admin user 'admin'", -1).length - 1;
                int raced = logs.split("was created by another instance starting at the same time", -1).length - 1;
                System.out.printf("[first-start] round %d: created by %d instance(s), found created by the other: %d%n",
                        round, created, raced);
                assertEquals(1, created, "exactly one instance created the admin user");
                assertTrue(raced <= 1, "at most the other instance lost the race");
            }
        }
    }

    private static ServiceProcess start(ServiceProcess instance) {
        try {
            return instance.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
