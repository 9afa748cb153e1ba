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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * docs/scripts.md engine bounds with {@link TriggerTestSupport.TightEngineProfile}: a 1 s script timeout (500/1001)
 * and one run slot without a queue (503/1006); and the bound on Argon2 verifications of docs/security.md, "Token secrets on the trigger path" (503/1100).
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
        Path started = TriggerTestSupport.scriptOutput("block-started");
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

    @Test
    void authenticationWhenArgon2IsSaturatedThenNewSecrets503With1100AndCachedSecretsUnaffected() throws Exception {
        Token cached = createToken();
        List<Token> fresh = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            fresh.add(createToken());
        }
        List<Token> all = new ArrayList<>(fresh);
        all.add(cached);
        String route = unique("eng-auth");
        createDefinition(route, "ok", all.toArray(Token[]::new));
        String path = "/api/custom/" + unique("eng-auth-none"); // 404 after authentication: no script runs
        trigger(cached.secret()).get(path).then().statusCode(404);

        ExecutorService pool = Executors.newFixedThreadPool(fresh.size() + 1);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> answers = new ArrayList<>();
            for (Token token : fresh) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return trigger(token.secret()).get(path);
                }));
            }
            Future<Response> cachedAnswer = pool.submit(() -> {
                start.await();
                return trigger(cached.secret()).get(path);
            });
            start.countDown();
            int busy = 0;
            for (Future<Response> answer : answers) {
                Response r = answer.get();
                if (r.statusCode() == 503) {
                    assertError(r, 503, 1100).then().header("Retry-After", "1");
                    busy++;
                } else {
                    assertError(r, 404, 5);
                }
            }
            assertTrue(busy > 0, "12 simultaneous new secrets, one Argon2 slot, no queue: some must be refused");
            assertError(cachedAnswer.get(), 404, 5);
        } finally {
            pool.shutdownNow();
        }
        for (Token token : fresh) { // a refused secret was not remembered as bad: it works once retried
            assertError(trigger(token.secret()).get(path), 404, 5);
        }
    }
}
