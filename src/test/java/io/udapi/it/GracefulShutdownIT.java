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

    /**
     * A script that would run far past the drain ({@code quarkus.shutdown.timeout} 2 s here, script timeout 90 s) does
     * not hold the exit up: after the drain it gets at most 2 s, then it and its child are killed and udapi exits 0,
     * well before a pod's grace period (docs/operations.md, "Shutdown"). Before, udapi waited for its 90 s timeout.
     */
    @Test
    void sigtermWhileAScriptRunsFarPastTheDrainKillsItAfterTheCloseGraceAndExitsZero() throws Exception {
        Path scripts = Files.createDirectories(work.resolve("scripts"));
        Path pids = work.resolve("pids");
        Path endless = scripts.resolve("endless");
        Files.writeString(endless, "#!/bin/sh\ncat > /dev/null\nsleep 80 &\necho $! >> " + pids + "\necho $$ >> " + pids
                + "\ntouch " + work.resolve("started") + ".$$\nwait\n");
        Files.setPosixFilePermissions(endless, PosixFilePermissions.fromString("rwxr-xr-x"));
        ServiceProcess service = new ServiceProcess(work.resolve("data"), work.resolve("udapi.log"),
                ServiceProcess.config("udapi.scripts.dir", scripts.toString(), "quarkus.shutdown.timeout", "2s",
                        "udapi.script.timeout", "90s")).start();
        try {
            AdminClient admin = new AdminClient(service.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            HttpResponse<String> token = admin.send("POST", "/admin/v1/tokens", "{\"name\":\"endless\"}");
            String secret = AdminClient.field(token.body(), "secret");
            assertEquals(201, admin.send("POST", "/admin/v1/definitions", "{\"route\":\"endless\",\"allowedTokens\":[\""
                    + AdminClient.field(token.body(), "id") + "\"],\"actionMeta\":{\"scriptName\":\"endless\"}}").statusCode());
            CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() -> statusOrRefused(admin, secret, "endless"));
            awaitScriptsStarted(work, 1);

            long signalled = System.nanoTime();
            service.sigterm();
            int exit = service.awaitExit(Duration.ofSeconds(60));
            double seconds = (System.nanoTime() - signalled) / 1e9;
            System.out.printf("GracefulShutdownIT: exit %d %.1f s after SIGTERM with a script running%n", exit, seconds);
            assertEquals(0, exit, "exit code after SIGTERM");
            assertTrue(seconds < 2 + 7 + 8, "exited " + seconds + " s after SIGTERM: the drain, the close (at most about 7 s) and a margin");
            for (String pid : Files.readAllLines(pids)) {
                assertTrue(Files.notExists(Path.of("/proc", pid.strip())), "script process " + pid + " outlived udapi");
            }
            assertTrue(inFlight.get(30, TimeUnit.SECONDS) != 200, "the killed run did not answer 200");
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
        return statusOrRefused(admin, secret, "slow");
    }

    /** The trigger's status, or -1 when the connection was refused or cut. */
    private static int statusOrRefused(AdminClient admin, String secret, String route) {
        try {
            return admin.trigger(route, secret).statusCode();
        } catch (Exception refused) {
            return -1;
        }
    }
}
