package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while slow triggers run: they complete with 200, a request arriving during the drain is
 * refused (503 or a refused connection), and the process exits 0 well within the drain bound.
 */
class GracefulShutdownIT {

    @TempDir
    Path work;

    @Test
    void sigtermDrainsInFlightTriggersRefusesNewOnesAndExitsZero() throws Exception {
        Path scripts = Files.createDirectories(work.resolve("scripts"));
        Path started = work.resolve("started");
        Path slow = scripts.resolve("slow");
        // announces itself, then takes 3 s: long enough to be in flight when SIGTERM arrives
        Files.writeString(slow, "#!/bin/sh\ncat > /dev/null\ntouch " + started + ".$$\nsleep 3\n"
                + "printf '{\"responseCode\":200,\"responseBody\":\"done\"}'\n");
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwxr-xr-x"));

        ServiceProcess service = new ServiceProcess(work.resolve("data"), work.resolve("udapi.log"),
                ServiceProcess.config("udapi.scripts.dir", scripts.toString(), "quarkus.shutdown.timeout", "20s")).start();
        try {
            AdminClient admin = new AdminClient(service.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            HttpResponse<String> token = admin.send("POST", "/admin/v1/tokens", "{\"name\":\"drain\"}");
            String secret = AdminClient.field(token.body(), "secret");
            String tokenId = AdminClient.field(token.body(), "id");
            assertEquals(201, admin.send("POST", "/admin/v1/definitions", "{\"route\":\"slow\",\"allowedTokens\":[\""
                    + tokenId + "\"],\"actionMeta\":{\"scriptName\":\"slow\"}}").statusCode());

            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                inFlight.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return admin.trigger("slow", secret);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            awaitScriptsStarted(work, 3);

            long signalled = System.nanoTime();
            service.sigterm();
            Thread.sleep(300); // let the signal be handled before the late request
            int late = statusOrRefused(admin, secret);
            assertTrue(late == 503 || late == -1, "a request during the drain is refused, got " + late);

            for (CompletableFuture<HttpResponse<String>> request : inFlight) {
                HttpResponse<String> response = request.get(30, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode(), "in-flight trigger completes: " + response.body());
                assertEquals("done", response.body());
            }
            int exit = service.awaitExit(Duration.ofSeconds(25));
            double seconds = (System.nanoTime() - signalled) / 1e9;
            System.out.printf("GracefulShutdownIT: exit %d %.1f s after SIGTERM; late request answered %d%n", exit, seconds, late);
            assertEquals(0, exit, "exit code after SIGTERM");
            assertTrue(seconds < 20, "exited within the drain bound");
        } finally {
            service.close();
        }
    }

    private static void awaitScriptsStarted(Path work, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (var files = Files.list(work)) {
                if (files.filter(f -> f.getFileName().toString().startsWith("started.")).count() >= count) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the slow scripts did not start");
    }

    private static int statusOrRefused(AdminClient admin, String secret) {
        try {
            return admin.trigger("slow", secret).statusCode();
        } catch (Exception refused) {
            return -1;
        }
    }
}
