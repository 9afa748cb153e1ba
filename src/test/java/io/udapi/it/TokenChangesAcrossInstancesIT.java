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
 * Token changes made on one of two packaged instances sharing one real Elasticsearch reach the other within
 * 2 s (docs/tokens.md): rotation with an overlap (a token rotated on A keeps its previous secret working on B,
 * and the previous secret stops on both within 2 s of {@code previousSecretExpiresAt}, or of an
 * {@code endOverlap} made on A), and source ranges (a range change on A admits or refuses on B). Every wait
 * polls against a deadline.
 *
 * <p>Polls go to a route with no definition: a proved secret from an allowed address answers 404/5 there
 * (authentication and the source check come first), a refused one 401/1010, so polling runs no script.
 */
class TokenChangesAcrossInstancesIT {

    private static final Duration PROPAGATION = Duration.ofSeconds(2);
    /** A token's first use on B: sync plus a cold Argon2 verification. */
    private static final Duration FIRST_USE = Duration.ofSeconds(5);
    private static final String NOWHERE = "rotation/nowhere";

    @TempDir
    Path work;

    private ServiceProcess instance(ElasticsearchProcess es, String prefix, String name) throws Exception {
        return ServiceProcess.onElasticsearch(work, es.hostAndPort(), prefix, MultiInstanceIT.PEPPER, name, "udapi.sync.interval", "200ms")
                .start();
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
        System.out.printf("[token-changes] %s after %d ms%n", what, (System.nanoTime() - t0) / 1_000_000);
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
        String prefix = "udapi-token-changes-" + UUID.randomUUID().toString().substring(0, 8) + "-";
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
                    "{\"previousSecretValidFor\":\"PT8S\"}");
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

            Instant stoppedOnA = await("previous secret refused on A", Duration.ofSeconds(15), () -> !proves(onA, first));
            Instant stoppedOnB = await("previous secret refused on B", Duration.ofSeconds(15), () -> !proves(onB, first));
            System.out.printf("[token-changes] previousSecretExpiresAt %s; refused on A %d ms and on B %d ms after it%n",
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

    @Test
    void sourceRangeChangedOnAAdmitsAndRefusesOnBWithinTwoSeconds() throws Exception {
        ElasticsearchProcess es = ElasticsearchProcess.shared();
        String prefix = "udapi-token-changes-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try (ServiceProcess a = instance(es, prefix, "a"); ServiceProcess b = instance(es, prefix, "b")) {
            AdminClient onA = new AdminClient(a.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            AdminClient onB = new AdminClient(b.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            // the tests reach both instances from loopback: 192.0.2.0/24 (TEST-NET-1) never matches
            HttpResponse<String> created = onA.send("POST", "/admin/v1/tokens",
                    "{\"name\":\"ranges-across\",\"allowedSourceRanges\":[\"192.0.2.0/24\"]}");
            assertEquals(201, created.statusCode(), created.body());
            String id = AdminClient.field(created.body(), "id");
            String secret = AdminClient.field(created.body(), "secret");
            await("B knows the token", FIRST_USE, () -> onB.send("GET", "/admin/v1/tokens/" + id, null).statusCode() == 200);
            HttpResponse<String> outside = onB.trigger(NOWHERE, secret);
            assertEquals(401, outside.statusCode(), outside.body());
            assertTrue(outside.body().contains("1010"), outside.body());

            Instant widened = patchRanges(onA, id, "[\"192.0.2.0/24\",\"127.0.0.0/8\",\"::1\"]");
            // the refused trigger above already proved the secret on B (the source check follows authentication)
            Instant admittedOnB = await("B admits from loopback after the range change on A", PROPAGATION,
                    () -> proves(onB, secret));
            assertTrue(proves(onA, secret), "A admits at once");

            Instant narrowed = patchRanges(onA, id, "[\"192.0.2.0/24\"]");
            Instant refusedOnB = await("B refuses from loopback after the range change on A", PROPAGATION,
                    () -> !proves(onB, secret));
            assertTrue(!proves(onA, secret), "A refuses at once");

            patchRanges(onA, id, "null");
            await("B admits from any address once the ranges are cleared on A", PROPAGATION, () -> proves(onB, secret));
            System.out.printf("[token-changes] range widened: admitted on B %d ms after; narrowed: refused on B %d ms after%n",
                    Duration.between(widened, admittedOnB).toMillis(), Duration.between(narrowed, refusedOnB).toMillis());
        }
    }

    private static Instant patchRanges(AdminClient on, String id, String ranges) throws Exception {
        HttpResponse<String> patched = on.send("PATCH", "/admin/v1/tokens/" + id, "{\"allowedSourceRanges\":" + ranges + "}");
        assertEquals(200, patched.statusCode(), patched.body());
        return Instant.now();
    }
}
