package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.assertError;
import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.udapi.trigger.TriggerTestSupport.Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * SPEC 2.3 engine bounds with {@link TriggerTestSupport.TightEngineProfile}: a 1 s script timeout (500/1001)
 * and one run slot without a queue (503/1006).
 */
@QuarkusTest
@TestProfile(TriggerTestSupport.TightEngineProfile.class)
class TriggerEngineBoundsTest {

    @Test
    void scriptWhenSlowerThanTheTimeoutThenKilledAnd500With1001() {
        Token token = createToken();
        String route = unique("eng-sleep");
        createDefinition(route, "sleep", token);
        long start = System.nanoTime();
        assertError(trigger(token.secret()).get("/api/custom/" + route), 500, 1001);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "answered after " + took + ", not after the 30 s sleep");
    }

    @Test
    void engineWhenEverySlotIsTakenAndNoQueueThen503With1006() throws Exception {
        Token token = createToken();
        String blocking = unique("eng-block");
        String other = unique("eng-other");
        createDefinition(blocking, "block", token);
        createDefinition(other, "ok", token);
        Path started = Path.of(ConfigProvider.getConfig().getValue("udapi.scripts.dir", String.class), "block-started");
        Files.deleteIfExists(started);
        trigger(token.secret()).get("/api/custom/" + unique("eng-warm")).then().statusCode(404); // caches the secret

        CompletableFuture<Response> first = CompletableFuture.supplyAsync(
                () -> trigger(token.secret()).get("/api/custom/" + blocking));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(started));
        Response busy = trigger(token.secret()).get("/api/custom/" + other);
        assertError(busy, 503, 1006).then().header("Retry-After", "1");

        assertError(first.get(), 500, 1001); // the blocking run ends at the timeout and frees the slot
        trigger(token.secret()).get("/api/custom/" + other).then().statusCode(200);
    }
}
