package io.udapi.trigger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every metric of docs/operations.md, "Metrics" is exported under its Prometheus name, with labels that carry the definition
 * id and the errorCode but never a raw path or a secret.
 */
@QuarkusTest
class TriggerMetricsTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void metricsOfSpecSectionFourFourAreExportedWithoutRawPathsOrSecrets() {
        TriggerTestSupport.Token token = TriggerTestSupport.createToken(
                Map.of("rateLimit", Map.of("limit", 1, "window", "PT1M")));
        String route = TriggerTestSupport.unique("metrics");
        String definitionId = TriggerTestSupport.createDefinition(route + "/{n}", "hello", token);
        TriggerTestSupport.trigger(token.secret()).get("/api/custom/" + route + "/secret-looking-path-value").then().statusCode(200);
        TriggerTestSupport.trigger(token.secret()).get("/api/custom/" + route + "/x").then().statusCode(429);
        TriggerTestSupport.trigger("not-a-token-but-long-enough-0123456789").get("/api/custom/" + route + "/x").then().statusCode(401);

        String text = given().get(metrics).then().statusCode(200).extract().asString();
        for (String name : new String[] {"udapi_triggers_total{", "udapi_trigger_duration_seconds_bucket",
                "udapi_ratelimit_rejections_total", "udapi_auth_failures_total{", "udapi_secret_verifications_total{",
                "udapi_secret_cache_hits_total", "udapi_tokens ", "udapi_definitions ", "udapi_script_queue_depth"}) {
            assertThat(name + " is exported", text, containsString(name));
        }
        assertThat(text, containsString("definition=\"" + definitionId + "\""));
        assertThat(text, containsString("code=\"1014\""));
        assertThat(text, containsString("code=\"1010\""));
        assertThat("no raw path in a label", text, not(containsString("secret-looking-path-value")));
        assertThat("no secret in a label", text, not(containsString(token.secret())));
    }
}
