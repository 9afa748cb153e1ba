package io.udapi.push;

import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.udapi.LogCapture;
import io.udapi.limit.redis.RedisServer;
import io.udapi.trigger.TriggerTestSupport;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Pushed changes in one application on a real redis-server ({@code udapi.sync.push=redis}, file store): the server
 * first refuses the subscription (its default user may use no channel, as a Redis 7 ACL user without channel rights),
 * so readiness says {@code changePush: down} with one warning, whatever the retries; once the channel is allowed it
 * says {@code up} without a restart; and a write on this instance is then announced on the channel, naming only the
 * object. Waits poll with deadlines.
 */
@QuarkusTest
@TestProfile(ChangePushTest.PushProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangePushTest {

    static final String PORT_PROPERTY = "test.push-redis.port";

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    public static class PushProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            synchronized (PushProfile.class) {
                if (System.getProperty(PORT_PROPERTY) == null) {
                    RedisServer server = RedisServer.startNew();
                    assertEquals("+OK", server.command("ACL SETUSER default resetchannels"));
                    System.setProperty(PORT_PROPERTY, Integer.toString(server.port()));
                }
            }
            Map<String, String> config = new HashMap<>(new TriggerTestSupport.ScriptsProfile().getConfigOverrides());
            config.put("udapi.sync.push", "redis");
            config.put("udapi.limits.redis.url", "redis://127.0.0.1:" + port());
            config.put("udapi.sync.interval", "200ms");
            return config;
        }
    }

    private static int port() {
        return Integer.parseInt(System.getProperty(PORT_PROPERTY));
    }

    private String changePush() {
        return RestAssured.given().get(ready).then().statusCode(200).extract()
                .path("checks.find { it.name == 'udapi-cache' }.data.changePush");
    }

    private static List<String> pushLines(LogCapture log) {
        return log.records().stream().filter(r -> r.getLoggerName() != null && r.getLoggerName().startsWith("io.udapi.push"))
                .map(LogCapture::message).toList();
    }

    @Test
    @Order(1)
    void subscriptionWhenRefusedThenDownWithoutALinePerRetryAndUpOnceTheChannelIsAllowed() {
        try (LogCapture log = LogCapture.start()) {
            refusedThenAllowed(log);
        }
    }

    private void refusedThenAllowed(LogCapture log) {
        // a second of retries (one per 200 ms interval), every one refused; the outage's one line was logged at start
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < end) {
            assertEquals("down", changePush());
        }
        assertEquals(0.0, metric(metrics, "udapi_sync_push_subscribed"));
        assertEquals(List.of(), pushLines(log), "no line per refused retry");

        assertEquals("+OK", RedisServer.command(port(), "ACL SETUSER default allchannels"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!"up".equals(changePush())) {
            assertTrue(System.nanoTime() < deadline, "changePush up within 10 s of the channel being allowed");
        }
        assertEquals(1.0, metric(metrics, "udapi_sync_push_subscribed"));
        List<String> lines = pushLines(log);
        assertEquals(1, lines.size(), "one line for the return: " + lines);
        assertTrue(lines.get(0).contains("subscribed to udapi:changes"), lines.get(0));
    }

    @Test
    @Order(2)
    void writeWhenSubscribedThenAnnouncedOnTheChannelByIdOnly() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port()));
            RedisConnection listener = client.connect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            BlockingQueue<String> heard = new LinkedBlockingQueue<>();
            listener.handler(reply -> {
                if (reply.size() == 3 && "message".equals(reply.get(0).toString())) {
                    heard.add(reply.get(2).toString());
                }
            });
            listener.send(Request.cmd(Command.SUBSCRIBE).arg("udapi:changes")).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            // the subscription is confirmed once a publish reaches it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String got = null;
            while (!"v1 ff token probe".equals(got)) {
                assertTrue(System.nanoTime() < deadline, "the test's subscription works");
                RedisServer.command(port(), "PUBLISH udapi:changes \"v1 ff token probe\"");
                got = heard.poll(50, TimeUnit.MILLISECONDS);
            }
            heard.clear();
            double published = metric(metrics, "udapi_sync_pushes_total{result=\"published\"}");
            TriggerTestSupport.Token token = createToken();
            String announced = heard.poll(10, TimeUnit.SECONDS);
            assertTrue(announced != null && announced.matches("v1 [0-9a-f]{16} token " + token.id()), "announced: " + announced);
            assertTrue(!announced.contains(token.secret()), "no secret on the channel");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (metric(metrics, "udapi_sync_pushes_total{result=\"published\"}") < published + 1) {
                assertTrue(System.nanoTime() < until, "the publish is counted");
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
