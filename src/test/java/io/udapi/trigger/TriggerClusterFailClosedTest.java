package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.assertError;
import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.metric;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.udapi.trigger.TriggerTestSupport.Token;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cluster scope with {@code udapi.limits.cluster-failure=fail-closed} and a server that cannot be reached (nothing
 * listens on its port): a trigger of a token with a limit answers 503/1103 with its fixed body, and counts nowhere;
 * a token without a limit is not asked about, so it is served.
 */
@QuarkusTest
@TestProfile(TriggerClusterFailClosedTest.FailClosedProfile.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class TriggerClusterFailClosedTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    public static class FailClosedProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new TriggerTestSupport.ScriptsProfile().getConfigOverrides());
            config.put("udapi.limits.scope", "cluster");
            config.put("udapi.limits.cluster-failure", "fail-closed");
            config.put("udapi.limits.redis.url", "redis://127.0.0.1:" + unusedPort());
            config.put("udapi.limits.redis.password", "never-logged-secret-0123");
            return config;
        }

        private static int unusedPort() {
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The start-up check: availability is known before any trigger asked the server. */
    @Test
    @org.junit.jupiter.api.Order(1)
    void readinessWhenServerUnreachableAtStartThenClusterDownBeforeAnyLimitedTrigger() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        String state = null;
        while (System.nanoTime() < deadline) {
            state = RestAssured.given().get(ready).then().statusCode(200).extract()
                    .path("checks.find { it.name == 'udapi-cache' }.data.rateLimits");
            if ("cluster-down".equals(state)) {
                break;
            }
            Thread.onSpinWait();
        }
        assertEquals("cluster-down", state, "readiness data 10 s after start");
        assertEquals(0.0, metric(metrics, "udapi_limits_cluster_available"));
        assertEquals(0.0, metric(metrics, "udapi_limits_cluster_fallbacks_total"), "no trigger has asked yet");
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void limitWhenServerUnreachableAndFailClosedThen503With1103AndFixedBody() {
        Token token = createToken(Map.of("rateLimit", Map.of("limit", 5, "window", "PT1H")));
        String route = unique("cl-closed");
        createDefinition(route, "ok", token);
        for (int i = 0; i < 3; i++) {
            assertError(trigger(token.secret()).get("/api/custom/" + route), 503, 1103)
                    .then().header("Retry-After", "1")
                    .header("RateLimit", nullValue())
                    .body("errors[0].title", equalTo("The rate limiter is not available."))
                    .body("errors[0].detail", equalTo(
                            "The rate-limit server of this cluster cannot be reached; retry in a second."));
        }
        assertEquals(0.0, metric(metrics, "udapi_limits_cluster_available"));
        assertTrue(metric(metrics, "udapi_limits_cluster_fallbacks_total") >= 3);
        RestAssured.given().get(ready).then().statusCode(200)
                .body("checks.find { it.name == 'udapi-cache' }.data.rateLimits", equalTo("cluster-down"));
    }

    @Test
    void limitWhenTokenHasNoLimitAndFailClosedThenServed() {
        Token token = createToken();
        String route = unique("cl-closed-none");
        createDefinition(route, "ok", token);
        trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200).header("RateLimit", nullValue());
    }
}
