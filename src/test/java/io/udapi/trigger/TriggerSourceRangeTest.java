package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.admin;
import static io.udapi.trigger.TriggerTestSupport.assertError;
import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.patchToken;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.udapi.trigger.TriggerTestSupport.Token;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Source ranges over HTTP (docs/tokens.md, "Source ranges"). The test peer is loopback, which this profile
 * trusts as a proxy, so X-Forwarded-For chooses the source; without the header the source is the peer.
 */
@QuarkusTest
@TestProfile(TriggerSourceRangeTest.TrustedLoopbackProfile.class)
class TriggerSourceRangeTest {

    public static class TrustedLoopbackProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new TriggerTestSupport.ScriptsProfile().getConfigOverrides());
            config.put("udapi.trusted-proxies", "127.0.0.1/32,::1/128");
            return config;
        }
    }

    private static String path(Token token) {
        String route = unique("src");
        createDefinition(route, "ok", token);
        return "/api/custom/" + route;
    }

    @Test
    void sourceInsideARangeIsAdmitted() {
        Token token = createToken(Map.of("allowedSourceRanges", List.of("192.0.2.0/24")));
        String path = path(token);

        trigger(token.secret()).header("X-Forwarded-For", "192.0.2.7").get(path).then().statusCode(200);
    }

    @Test
    void sourceOutsideEveryRangeAnswersTheFixed1010AndCountsNothing() {
        Token token = createToken(Map.of("allowedSourceRanges", List.of("192.0.2.0/24"),
                "rateLimit", Map.of("limit", 2, "window", "PT1H")));
        String path = path(token);
        String unknownBody = assertError(trigger("no-such-secret-0123456789abcdefgh").get(path), 401, 1010).asString();

        for (int i = 0; i < 5; i++) {
            Response refused = assertError(trigger(token.secret()).header("X-Forwarded-For", "198.51.100.1").get(path), 401, 1010);
            assertEquals(unknownBody, refused.asString());
            refused.then().header("RateLimit", nullValue());
        }
        // the refusals took nothing from the limit: the full limit is left
        trigger(token.secret()).header("X-Forwarded-For", "192.0.2.7").get(path).then().statusCode(200)
                .header("RateLimit", startsWith("\"default\";r=1;"));
    }

    @Test
    void outsideTheRangesAnUnknownRouteAlsoAnswers1010() {
        Token token = createToken(Map.of("allowedSourceRanges", List.of("192.0.2.0/24")));

        assertError(trigger(token.secret()).header("X-Forwarded-For", "198.51.100.1").get("/api/custom/" + unique("none")), 401, 1010);
    }

    @Test
    void malformedForwardedForFromATrustedPeerMeansThePeer() {
        Token loopbackOnly = createToken(Map.of("allowedSourceRanges", List.of("127.0.0.0/8", "::1")));
        String path = path(loopbackOnly);

        trigger(loopbackOnly.secret()).header("X-Forwarded-For", "192.0.2.7, not-an-address").get(path).then().statusCode(200);
        trigger(loopbackOnly.secret()).get(path).then().statusCode(200);
        assertError(trigger(loopbackOnly.secret()).header("X-Forwarded-For", "192.0.2.7").get(path), 401, 1010);
    }

    @Test
    void rangeChangedByPatchAppliesToTheNextRequest() {
        Token token = createToken(Map.of("allowedSourceRanges", List.of("192.0.2.0/24")));
        String path = path(token);
        assertError(trigger(token.secret()).header("X-Forwarded-For", "2001:db8::5").get(path), 401, 1010);

        patchToken(token.id(), Map.of("allowedSourceRanges", List.of("2001:db8::/32")));
        trigger(token.secret()).header("X-Forwarded-For", "[2001:db8::5]:443").get(path).then().statusCode(200);

        Map<String, Object> clear = new HashMap<>();
        clear.put("allowedSourceRanges", null);
        patchToken(token.id(), clear);
        trigger(token.secret()).header("X-Forwarded-For", "198.51.100.1").get(path).then().statusCode(200);
    }

    @Test
    void tokenShowsTheCanonicalRangesOrNull() {
        Token token = createToken(Map.of("allowedSourceRanges", List.of("2001:DB8:0::/32", "192.0.2.1")));
        admin().get("/admin/v1/tokens/" + token.id()).then().statusCode(200)
                .body("allowedSourceRanges", contains("2001:db8::/32", "192.0.2.1/32"));
        Token plain = createToken();
        admin().get("/admin/v1/tokens/" + plain.id()).then().statusCode(200)
                .body("$", org.hamcrest.Matchers.hasKey("allowedSourceRanges"))
                .body("allowedSourceRanges", nullValue());
    }

    @Test
    void invalidRangeOnCreateAnswers400InvalidSourceRangeNamingTheEntry() {
        for (Object ranges : List.of(List.of("10.0.0.0/8", "10.1.2.3/8"), List.of("10.0.0.0/8", 42), List.of(),
                "10.0.0.0/8", List.of("10.0.0.0/8", "fe80::1%eth0"))) {
            Map<String, Object> body = new HashMap<>();
            body.put("name", unique("bad"));
            body.put("allowedSourceRanges", ranges);
            admin().body(body).post("/admin/v1/tokens").then().statusCode(400)
                    .body("errors[0].reason", equalTo("InvalidSourceRange")).body("errors[0].id", nullValue());
        }
        Map<String, Object> body = Map.of("name", unique("bad"), "allowedSourceRanges", Arrays.asList("10.0.0.0/8", "010.0.0.1"));
        Response r = admin().body(body).post("/admin/v1/tokens");
        r.then().statusCode(400).body("errors[0].reason", equalTo("InvalidSourceRange"))
                .body("errors[0].message", startsWith("allowedSourceRanges[1] "));
    }

    @Test
    void invalidRangeOnPatchAnswers400AndKeepsTheToken() {
        Token token = createToken(Map.of("allowedSourceRanges", List.of("192.0.2.0/24")));
        Response r = admin().body(Map.of("allowedSourceRanges", List.of("::/129"))).patch("/admin/v1/tokens/" + token.id());
        r.then().statusCode(400).body("errors[0].reason", equalTo("InvalidSourceRange"))
                .body("errors[0].id", equalTo(token.id()))
                .body("errors[0].message", startsWith("allowedSourceRanges[0] "));
        admin().get("/admin/v1/tokens/" + token.id()).then().body("allowedSourceRanges", contains("192.0.2.0/24"))
                .body("version", equalTo(1));
    }
}
