package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.udapi.LogCapture;
import io.quarkus.test.junit.TestProfile;
import io.udapi.trigger.TriggerTestSupport.Token;
import java.util.List;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md, "Metrics": one access-log line per trigger with request id, method, route template, definition id, token
 * id, status and errorCode, and (docs/concepts.md, "Tokens") never the secret, in that line or any other. The log is captured
 * with a {@code java.util.logging} handler on the root logger: Quarkus runs the JBoss LogManager as the JUL
 * manager, so every category reaches it, already formatted by {@link LogCapture#message}.
 */
@QuarkusTest
@TestProfile(TriggerTestSupport.ScriptsProfile.class)
class TriggerAccessLogTest {

    private static final String ACCESS = "io.udapi.access";

    private LogCapture capture;
    private List<LogRecord> records;

    @BeforeEach
    void capture() {
        capture = LogCapture.start();
        records = capture.records();
    }

    @AfterEach
    void release() {
        capture.close();
    }

    @Test
    void accessLogWhenTriggerSucceedsThenOneLineWithEveryField() {
        Token token = createToken();
        String prefix = unique("log-ok");
        String definition = createDefinition(prefix + "/{id}", "ok", token);
        String requestId = trigger(token.secret()).contentType("application/json").post("/api/custom/" + prefix + "/42").then().statusCode(200)
                .extract().header("X-Request-Id");

        String line = accessLine(requestId);
        assertTrue(line.contains("method=POST"), line);
        assertTrue(line.contains("route=" + prefix + "/{id}"), line);
        assertTrue(line.contains("definition=" + definition), line);
        assertTrue(line.contains("token=" + token.id()), line);
        assertTrue(line.contains("status=200"), line);
        assertTrue(line.contains("errorCode=0"), line);
        assertTrue(line.contains("durationMs="), line);
        assertNoSecret(token.secret());
    }

    @Test
    void accessLogWhenTriggerIsRefusedThenStatusAndErrorCode() {
        Token token = createToken();
        String route = unique("log-415");
        String definition = createDefinition(route, "ok", token);
        String refused = trigger(token.secret()).contentType("application/pdf").body(new byte[] {1})
                .put("/api/custom/" + route).then().statusCode(415).extract().header("X-Request-Id");
        String line = accessLine(refused);
        assertTrue(line.contains("method=PUT"), line);
        assertTrue(line.contains("definition=" + definition), line);
        assertTrue(line.contains("token=" + token.id()), line);
        assertTrue(line.contains("status=415"), line);
        assertTrue(line.contains("errorCode=1003"), line);

        String failed = trigger(token.secret()).get("/api/custom/" + unique("log-none")).then().statusCode(404)
                .extract().header("X-Request-Id");
        assertTrue(accessLine(failed).contains("status=404 errorCode=5"), accessLine(failed));
        assertNoSecret(token.secret());
    }

    @Test
    void accessLogWhenSecretIsWrongThenNeitherItNorTheHeaderIsLogged() {
        String wrong = TriggerTestSupport.randomSecret();
        String requestId = trigger(wrong).get("/api/custom/" + unique("log-401")).then().statusCode(401)
                .extract().header("X-Request-Id");
        String line = accessLine(requestId);
        assertTrue(line.contains("status=401 errorCode=1010"), line);
        assertTrue(line.contains("token=-"), line);
        assertNoSecret(wrong);
    }

    @Test
    void accessLogWhenScriptRunsThenItsContextHasTheSameRequestId() {
        Token token = createToken();
        String route = unique("log-echo");
        createDefinition(route, "echo", token);
        var response = trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200).extract();
        String requestId = response.header("X-Request-Id");
        assertEquals(requestId, response.jsonPath().getString("context.requestId"));
        assertTrue(accessLine(requestId).contains("requestId=" + requestId)); // the script saw the logged id
    }

    /** The one access-log line of {@code requestId}. */
    private String accessLine(String requestId) {
        List<String> lines = records.stream()
                .filter(r -> ACCESS.equals(r.getLoggerName()))
                .map(TriggerAccessLogTest::text)
                .filter(text -> text.contains("requestId=" + requestId + " "))
                .toList();
        assertEquals(1, lines.size(), () -> "access lines for " + requestId + ": " + lines);
        return lines.get(0);
    }

    private void assertNoSecret(String secret) {
        for (LogRecord record : records) {
            assertFalse(text(record).contains(secret), () -> "a log line contains the secret: " + text(record));
        }
    }

    private static String text(LogRecord record) {
        String message = LogCapture.message(record);
        Throwable thrown = record.getThrown();
        return thrown == null ? String.valueOf(message) : message + " " + thrown;
    }
}
