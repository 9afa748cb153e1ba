package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.http.RawHttp;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/security.md, "Connections": udapi closes a connection of the main port that has had no request in flight for
 * {@code udapi.limits.keep-alive-timeout} (2 s here), counted from the end of its last answer, and never one whose
 * request waits silently for its script, however long. Through real sockets against the packaged service.
 */
class KeepAliveTimeoutIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path work;

    @Test
    void anIdleConnectionIsClosedByUdapiOnceTheTimeoutHasPassedSinceItsLastAnswerAndNotBefore() throws Exception {
        try (ServiceProcess service = start(work.resolve("scripts"))) {
            int port = URI.create(service.baseUrl()).getPort();
            try (RawHttp connection = RawHttp.connect(port, Duration.ofSeconds(20))) {
                connection.send("GET /api/custom/x HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Answer answer = connection.read();
                assertEquals(401, answer.status(), answer.body());
                long answered = System.nanoTime();
                assertTrue(connection.closedByPeer(), "the idle connection was closed by udapi within 20 s");
                long idleMillis = (System.nanoTime() - answered) / 1_000_000;
                System.out.printf("KeepAliveTimeoutIT: an idle connection was closed %d ms after its answer (timeout %d ms)%n",
                        idleMillis, TIMEOUT.toMillis());
                // the answer left udapi before it arrived here, so the close can come a little sooner than the timeout
                // after it; a whole second sooner would mean the timer did not count from the answer
                assertTrue(idleMillis >= TIMEOUT.toMillis() - 1_000, "closed only " + idleMillis + " ms after the answer");
                assertEquals(1.0, io.udapi.trigger.TriggerTestSupport.metric(URI.create("http://127.0.0.1:"
                        + service.managementPort() + "/q/metrics").toURL(), "udapi_connections_idle_closed_total"),
                        "the close is counted, once");
            }
        }
    }

    @Test
    void aRequestSilentForLongerThanTheTimeoutKeepsItsConnectionAndTheTimeoutStartsOverAtItsAnswer() throws Exception {
        Path scripts = Files.createDirectories(work.resolve("scripts"));
        Path slow = scripts.resolve("slow");
        // silent for twice the keep-alive timeout before it answers
        Files.writeString(slow, "#!/bin/sh\ncat > /dev/null\nsleep " + 2 * TIMEOUT.toSeconds()
                + "\nprintf '{\"responseCode\":200,\"responseBody\":\"done\"}'\n");
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ServiceProcess service = start(scripts)) {
            AdminClient admin = new AdminClient(service.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            HttpResponse<String> token = admin.send("POST", "/admin/v1/tokens", "{\"name\":\"slow\"}");
            String secret = AdminClient.field(token.body(), "secret");
            assertEquals(201, admin.send("POST", "/admin/v1/definitions", "{\"route\":\"slow\",\"allowedTokens\":[\""
                    + AdminClient.field(token.body(), "id") + "\"],\"actionMeta\":{\"scriptName\":\"slow\"}}").statusCode());

            int port = URI.create(service.baseUrl()).getPort();
            try (RawHttp connection = RawHttp.connect(port, Duration.ofSeconds(30))) {
                connection.send("GET /api/custom/slow HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + secret + "\r\n\r\n");
                RawHttp.Answer slowAnswer = connection.read();
                assertEquals(200, slowAnswer.status(), slowAnswer.body());
                assertEquals("done", slowAnswer.body());

                connection.send("GET /api/custom/x HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(401, connection.read().status(), "the same connection still serves the next request");
                assertTrue(connection.closedByPeer(), "and is closed once idle for the timeout");
            }
        }
    }

    private ServiceProcess start(Path scripts) throws Exception {
        Files.createDirectories(scripts);
        return new ServiceProcess(work.resolve("data"), work.resolve("udapi.log"),
                ServiceProcess.config("udapi.scripts.dir", scripts.toString(),
                        "udapi.limits.keep-alive-timeout", TIMEOUT.toSeconds() + "s")).start();
    }
}
