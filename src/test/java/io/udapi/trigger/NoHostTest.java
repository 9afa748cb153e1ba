package io.udapi.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.udapi.LogCapture;
import io.udapi.http.RawHttp;
import java.net.URL;
import java.time.Duration;
import java.util.logging.Level;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request that names no host (HTTP/1.1 without {@code Host}, or an HTTP/2 preface on the plain port) is refused by
 * Vert.x before routing. On every path it gets 400 with errorCode 1104 in udapi's envelope and its connection is
 * closed, and nothing is logged at ERROR: before, Quarkus's own handler logged an ERROR with a stack-trace id per
 * such request, so a client could fill the log at will (docs/api.md, "Errors of the trigger path").
 */
@QuarkusTest
class NoHostTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "GET /api/custom/x HTTP/1.1\r\n\r\n",
            "POST /api/custom/x HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}",
            "GET /admin/v1/me HTTP/1.1\r\nAuthorization: Basic YWRtaW46eA==\r\n\r\n",
            "GET /admin/ HTTP/1.1\r\n\r\n",
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"})
    void aRequestThatNamesNoHostAnswers400With1104AndClosesItsConnectionWithoutAnErrorInTheLog(String request)
            throws Exception {
        try (LogCapture log = LogCapture.start(); RawHttp http = RawHttp.connect(root.getPort(), Duration.ofSeconds(10))) {
            http.send(request);
            RawHttp.Answer answer = http.read();
            assertEquals(400, answer.status(), answer.body());
            assertEquals("application/json", answer.header("Content-Type"));
            assertNotNull(answer.header("X-Request-Id"));
            JsonNode error = JSON.readTree(answer.body()).path("errors").path(0);
            assertEquals(1104, error.path("errorCode").asInt(), answer.body());
            assertEquals("Invalid request.", error.path("title").asText());
            assertTrue(error.path("detail").asText().contains("Host header"), answer.body());
            assertTrue(http.closedByPeer(), "the connection is closed after the answer");
            // the HTTP layer's error handler and udapi's own: other background loggers of the shared app do not count
            assertTrue(log.records().stream().noneMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()
                            && r.getLoggerName() != null
                            && (r.getLoggerName().startsWith("io.quarkus.vertx.http") || r.getLoggerName().startsWith("io.udapi"))),
                    () -> "logged at ERROR: " + log.records().stream().map(LogCapture::message).toList());
        }
    }
}
