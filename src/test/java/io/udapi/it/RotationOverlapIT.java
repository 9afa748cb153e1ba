package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.store.es.ElasticsearchProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation with an overlap on two packaged instances sharing one real Elasticsearch (docs/tokens.md): a token
 * rotated on A keeps its previous secret working on B, and the previous secret stops on both within 2 s of
 * {@code previousSecretExpiresAt}, or of an {@code endOverlap} made on A. Every wait polls against a deadline.
 *
 * <p>Polls go to a route with no definition: a proved secret answers 404/5 there (authentication comes
 * first), a refused one 401/1010, so polling runs no script.
 */
class RotationOverlapIT {

    private static final Duration PROPAGATION = Duration.ofSeconds(2);
    /** A token's first use on B: sync plus a cold Argon2 verification. */
    private static final Duration FIRST_USE = Duration.ofSeconds(5);
    private static final String NOWHERE = "rotation/nowhere";

    @TempDir
    Path work;

    private ServiceProcess instance(ElasticsearchProcess es, String prefix, String name) throws Exception {
        return new ServiceProcess(work.resolve(name + "-data"), work.resolve(name + ".log"), ServiceProcess.config(
                "udapi.store", "elasticsearch",
                "quarkus.elasticsearch.hosts", es.hostAndPort(),
                "udapi.elasticsearch.index-prefix", prefix,
                "udapi.secrets.pepper", MultiInstanceIT.PEPPER,
                "udapi.sync.interval", "200ms")).start();
    }

    /** Polls until {@code condition} holds; answers the instant it did, or fails after {@code timeout}. */
    private static Instant await(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout);
            }
            Thread.sleep(20);
        }
        System.out.printf("[rotation] %s after %d ms%n", what, (System.nanoTime() - t0) / 1_000_000);
        return Instant.now();
    }

    private static boolean proves(AdminClient on, String secret) throws Exception {
        int status = on.trigger(NOWHERE, secret).statusCode();
        if (status != 404 && status != 401) {
            throw new AssertionError("unexpected answer " + status);
        }
        return status == 404;
    }

    @Test
    void previousSecretOfATokenRotatedOnAWorksOnBAndStopsOnBothWithinTwoSecondsOfItsEnd() throws Exception {
        ElasticsearchProcess es = ElasticsearchProcess.shared();
        String prefix = "udapi-rotation-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try (ServiceProcess a = instance(es, prefix, "a"); ServiceProcess b = instance(es, prefix, "b")) {
            AdminClient onA = new AdminClient(a.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            AdminClient onB = new AdminClient(b.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            HttpResponse<String> created = onA.send("POST", "/admin/v1/tokens", "{\"name\":\"rotation-overlap\"}");
            assertEquals(201, created.statusCode(), created.body());
            String id = AdminClient.field(created.body(), "id");
            String first = AdminClient.field(created.body(), "secret");
            await("token created on A authenticates on B", FIRST_USE, () -> proves(onB, first));

            // ---- an overlap that runs out by itself
            HttpResponse<String> rotated = onA.send("POST", "/admin/v1/tokens/" + id + "/rotate",
                    "{\"previousSecretValidFor\":\"PT4S\"}");
            assertEquals(200, rotated.statusCode(), rotated.body());
            String second = AdminClient.field(rotated.body(), "secret");
            Instant end = Instant.parse(AdminClient.field(rotated.body(), "previousSecretExpiresAt"));
            await("B shows the overlap", PROPAGATION, () -> {
                HttpResponse<String> view = onB.send("GET", "/admin/v1/tokens/" + id, null);
                return view.body().contains("\"previousSecretExpiresAt\":\"" + end + "\"");
            });
            assertTrue(proves(onB, first), "the previous secret works on B during the overlap");
            assertTrue(proves(onB, second), "the new secret works on B");
            assertTrue(proves(onA, first), "the previous secret works on A during the overlap");
            assertTrue(Instant.now().isBefore(end), "the checks above ran inside the overlap");

            Instant stoppedOnA = await("previous secret refused on A", Duration.ofSeconds(10), () -> !proves(onA, first));
            Instant stoppedOnB = await("previous secret refused on B", Duration.ofSeconds(10), () -> !proves(onB, first));
            System.out.printf("[rotation] previousSecretExpiresAt %s; refused on A %d ms and on B %d ms after it%n",
                    end, Duration.between(end, stoppedOnA).toMillis(), Duration.between(end, stoppedOnB).toMillis());
            assertTrue(!stoppedOnA.isAfter(end.plus(PROPAGATION)), "A refused it " + stoppedOnA + ", end " + end);
            assertTrue(!stoppedOnB.isAfter(end.plus(PROPAGATION)), "B refused it " + stoppedOnB + ", end " + end);
            assertTrue(proves(onA, second) && proves(onB, second), "the new secret still works on both");

            // ---- an overlap ended early on A
            HttpResponse<String> again = onA.send("POST", "/admin/v1/tokens/" + id + "/rotate",
                    "{\"previousSecretValidFor\":\"PT1H\"}");
            assertEquals(200, again.statusCode(), again.body());
            String third = AdminClient.field(again.body(), "secret");
            await("B accepts the previous secret of the second rotation", FIRST_USE, () -> proves(onB, second));
            assertTrue(!proves(onB, first), "the older previous secret stays refused: at most two secrets");

            HttpResponse<String> ended = onA.send("POST", "/admin/v1/tokens/" + id + "/rotate", "{\"endOverlap\":true}");
            assertEquals(200, ended.statusCode(), ended.body());
            await("previous secret refused on B after endOverlap on A", PROPAGATION, () -> !proves(onB, second));
            assertTrue(!proves(onA, second), "and on A at once");
            await("new secret works on B", FIRST_USE, () -> proves(onB, third));
        }
    }
}
