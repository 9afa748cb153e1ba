package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.admin;
import static io.udapi.trigger.TriggerTestSupport.assertError;
import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.patchToken;
import static io.udapi.trigger.TriggerTestSupport.randomSecret;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.udapi.trigger.TriggerTestSupport.Token;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md, "Token secrets on the trigger path" over HTTP, measured with the Prometheus metrics of docs/operations.md, "Metrics": a repeated secret costs no Argon2
 * run, random secrets cost none either (the lookup tag refuses them), and every change to a token takes
 * effect on the very next request.
 *
 * <p>The management port is random in tests ({@code quarkus.management.test-port=0}).
 * {@code @TestHTTPResource(management = true)} resolves the port actually bound (Quarkus 3.34), and its
 * value is relative to the management root path {@code /q}: {@code "/metrics"} is {@code /q/metrics}
 * ({@code "/q/metrics"} would be {@code /q/q/metrics}, a 404). The bound port is also in the config as
 * {@code quarkus.management.test-port}.
 */
@QuarkusTest
@TestProfile(TriggerTestSupport.ScriptsProfile.class)
class TriggerSecretTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource("/")
    URL base;

    @Test
    void secretWhenRepeatedThenServedFromCacheWithoutArgon2() {
        Token token = createToken();
        String route = unique("sec-cache");
        createDefinition(route, "ok", token);
        String path = "/api/custom/" + route;
        trigger(token.secret()).get(path).then().statusCode(200); // the one Argon2 run

        double verifications = metric("udapi_secret_verifications_total");
        double hits = metric("udapi_secret_cache_hits_total");
        for (int i = 0; i < 50; i++) {
            trigger(token.secret()).get(path).then().statusCode(200);
        }
        assertEquals(verifications, metric("udapi_secret_verifications_total"), "Argon2 runs for a cached secret");
        assertTrue(metric("udapi_secret_cache_hits_total") >= hits + 50, "cache hits grow with every request");
    }

    /**
     * A burst of first uses of one secret (a client fleet starting with a new secret) joins one verification:
     * requests that arrive while it runs wait for it, later ones hit the cache. Without that, each would queue
     * its own 19 MiB Argon2 run.
     */
    @Test
    void secretWhenPresentedByManyConcurrentFirstRequestsThenVerifiedByOneArgon2Run() throws Exception {
        Token token = createToken();
        String route = unique("sec-burst");
        createDefinition(route, "ok", token);
        double verifications = metric("udapi_secret_verifications_total");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(base.toURI().resolve("/api/custom/" + route))
                .header("Authorization", "Bearer " + token.secret()).GET().build();
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            burst.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> answer : burst) {
            assertEquals(200, answer.get(30, TimeUnit.SECONDS).statusCode(), "every request of the burst is admitted");
        }
        assertEquals(verifications + 1, metric("udapi_secret_verifications_total"),
                "16 concurrent first uses of one secret cost one Argon2 run");
    }

    @Test
    void secretWhenRandomAndInvalidThenRefusedWithoutArgon2() {
        Token token = createToken();
        String route = unique("sec-flood");
        createDefinition(route, "ok", token);
        double verifications = metric("udapi_secret_verifications_total");
        for (int i = 0; i < 200; i++) {
            assertError(trigger(randomSecret()).get("/api/custom/" + route), 401, 1010);
        }
        assertEquals(verifications, metric("udapi_secret_verifications_total"), "Argon2 runs for random secrets");
    }

    @Test
    void tokenWhenDisabledThenRefusedOnTheNextRequestAndWhenReEnabledAcceptedAgain() {
        Token token = createToken();
        String route = unique("sec-disable");
        createDefinition(route, "ok", token);
        String path = "/api/custom/" + route;
        trigger(token.secret()).get(path).then().statusCode(200);

        patchToken(token.id(), Map.of("isDisabled", true));
        assertError(trigger(token.secret()).get(path), 401, 1010);
        patchToken(token.id(), Map.of("isDisabled", false));
        trigger(token.secret()).get(path).then().statusCode(200);
    }

    @Test
    void tokenWhenSecretPatchedThenOldRefusedAndNewAccepted() {
        Token token = createToken();
        String route = unique("sec-patch");
        createDefinition(route, "ok", token);
        String path = "/api/custom/" + route;
        trigger(token.secret()).get(path).then().statusCode(200);

        String rotated = randomSecret();
        patchToken(token.id(), Map.of("secret", rotated));
        assertError(trigger(token.secret()).get(path), 401, 1010);
        trigger(rotated).get(path).then().statusCode(200);
    }

    @Test
    void tokenWhenRotatedThenOldRefusedAndNewAccepted() {
        Token token = createToken();
        String route = unique("sec-rotate");
        createDefinition(route, "ok", token);
        String path = "/api/custom/" + route;
        trigger(token.secret()).get(path).then().statusCode(200);

        String generated = admin().post("/admin/v1/tokens/" + token.id() + "/rotate").then().statusCode(200)
                .extract().path("secret");
        assertError(trigger(token.secret()).get(path), 401, 1010);
        trigger(generated).get(path).then().statusCode(200);
    }

    @Test
    void tokenWhenDeletedThenRefusedOnTheNextRequest() {
        Token token = createToken();
        String route = unique("sec-delete");
        String definition = createDefinition(route, "ok", token);
        String path = "/api/custom/" + route;
        trigger(token.secret()).get(path).then().statusCode(200);

        // a token in use cannot be deleted; without its definition, the secret still authenticates (404)...
        admin().delete("/admin/v1/definitions/" + definition).then().statusCode(204);
        assertError(trigger(token.secret()).get(path), 404, 5);
        // ...until the token is deleted: then the auth (secret) stage answers
        admin().delete("/admin/v1/tokens/" + token.id()).then().statusCode(204);
        assertError(trigger(token.secret()).get(path), 401, 1010);
    }

    private double metric(String name) {
        return TriggerTestSupport.metric(metrics, name);
    }
}
