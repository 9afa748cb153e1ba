package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.assertError;
import static io.udapi.trigger.TriggerTestSupport.assertRawError;
import static io.udapi.trigger.TriggerTestSupport.chunk;
import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.raw;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.udapi.trigger.TriggerTestSupport.Token;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code udapi.limits.max-body-memory} (docs/security.md, "Request bodies") through real HTTP: while one trigger
 * holds its body and input in a running script, another that does not fit beside it answers 503/1102 with
 * {@code Retry-After: 1}, whether it declared its length or sent it in chunks; one that fits still runs; and
 * everything held is given back when the responses end.
 */
@QuarkusTest
@TestProfile(TriggerTestSupport.BodyMemoryProfile.class)
class TriggerBodyMemoryTest {

    private static final String BODY = "x".repeat(3000);

    @Inject
    TriggerHandler handler;

    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    @Test
    void aBodyThatDoesNotFitBesideARunningTriggersIsRefusedWith503UntilThatTriggerHasAnswered() throws Exception {
        Token token = createToken();
        String blocking = unique("mem-block");
        String ok = unique("mem-ok");
        createDefinition(blocking, "hold", token);
        createDefinition(ok, "ok", token);
        Path started = TriggerTestSupport.scriptOutput("hold-started");
        Path release = TriggerTestSupport.scriptOutput("hold-release");
        Files.deleteIfExists(started);
        Files.deleteIfExists(release);
        await().atMost(Duration.ofSeconds(10)).until(() -> handler.bodyMemory().held() == 0);

        CompletableFuture<Response> holder = CompletableFuture.supplyAsync(
                () -> trigger(token.secret()).contentType("text/plain").body(BODY).post("/api/custom/" + blocking));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(started));
        long held = handler.bodyMemory().held();
        assertTrue(held > 2 * BODY.length() && held <= handler.bodyMemory().capacity(),
                "the running trigger holds its body and its input: " + held);
        assertEquals(held, TriggerTestSupport.metric(metrics, "udapi_trigger_body_memory_bytes"), 0.5, "exported as a gauge");

        Response declared = trigger(token.secret()).contentType("text/plain").body(BODY).post("/api/custom/" + ok);
        assertError(declared, 503, 1102).then().header("Retry-After", "1");
        assertTrue(declared.jsonPath().getString("errors[0].detail").contains("held in memory"), declared.asString());

        byte[] part = "y".repeat(1000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            chunked.writeBytes(chunk(part));
        }
        chunked.writeBytes(chunk(new byte[0]));
        TriggerTestSupport.RawResponse inChunks = raw("POST /api/custom/" + ok + " HTTP/1.1\r\nAuthorization: Bearer "
                + token.secret() + "\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked", chunked.toByteArray());
        assertRawError(inChunks, 503, 1102);
        assertEquals("1", inChunks.header("Retry-After"));

        trigger(token.secret()).contentType("text/plain").body("small").post("/api/custom/" + ok)
                .then().statusCode(200); // a budget, not a lock: what fits still runs
        // the share is given back by the response's end handler, which may run just after the client has the answer
        await().atMost(Duration.ofSeconds(10)).until(() -> handler.bodyMemory().held() == held);
        assertEquals(held, handler.bodyMemory().held(), "the refused and the answered gave back what they took");

        Files.createFile(release); // the held run answers only now: nothing above raced its end
        holder.get().then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> handler.bodyMemory().held() == 0);
        trigger(token.secret()).contentType("text/plain").body(BODY).post("/api/custom/" + ok).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> handler.bodyMemory().held() == 0);
    }

    @Test
    void aClientThatClosesItsConnectionMidBodyGivesBackWhatItsBodyHeld() throws Exception {
        Token token = createToken();
        String ok = unique("mem-cut");
        createDefinition(ok, "ok", token);
        await().atMost(Duration.ofSeconds(10)).until(() -> handler.bodyMemory().held() == 0);
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.getOutputStream().write(("POST /api/custom/" + ok + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + token.secret() + "\r\nContent-Type: text/plain\r\nContent-Length: 3000\r\n\r\n" + "z".repeat(100))
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> handler.bodyMemory().held() == 3000);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> handler.bodyMemory().held() == 0);
    }
}
