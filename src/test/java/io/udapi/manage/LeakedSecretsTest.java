package io.udapi.manage;

import static io.udapi.manage.AdminApi.TOKENS;
import static io.udapi.manage.AdminApi.as;
import static io.udapi.manage.AdminApi.asAdmin;
import static io.udapi.manage.AdminApi.createToken;
import static io.udapi.manage.AdminApi.createUser;
import static io.udapi.manage.AdminApi.json;
import static io.udapi.manage.AdminApi.problem;
import static io.udapi.manage.AdminApi.secret;
import static io.udapi.manage.AdminApi.unique;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.udapi.user.Permission;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/tokens.md, "Secrets that leak scanners can find" over HTTP: generated secrets scanners can find, and {@code POST /admin/v1/tokens/leaked}. */
@QuarkusTest
class LeakedSecretsTest {
    private static final String LEAKED = TOKENS + "/leaked";

    @Inject
    MeterRegistry meters;

    private static JsonPath created(Map<String, Object> body) {
        return createToken(body).then().statusCode(201).extract().jsonPath();
    }

    private double argon2Runs() {
        return meters.find("udapi.secret.verifications").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aGeneratedSecretHasTheUdapiFormWithItsChecksum() {
        String secret = created(json("name", unique("leak-form"))).getString("secret");
        assertTrue(secret.matches("udapi_[0-9A-Za-z]{38}"), secret);
    }

    @Test
    void leakedSecretsDisableTheirTokensAndEachStringGetsItsResultInOrder() {
        JsonPath generated = created(json("name", unique("leak-gen")));
        String chosenSecret = secret(40);
        JsonPath chosen = created(json("name", unique("leak-chosen"), "secret", chosenSecret));
        JsonPath off = created(json("name", unique("leak-off")));
        asAdmin().contentType("application/merge-patch+json").body(json("isDisabled", true))
                .patch(TOKENS + "/" + off.getString("id")).then().statusCode(200);
        String real = generated.getString("secret");
        String typo = real.substring(0, 43) + (real.charAt(43) == 'x' ? 'y' : 'x');

        JsonPath answer = asAdmin().body(json("secrets", List.of(real, typo, chosenSecret, off.getString("secret"), "short")))
                .post(LEAKED).then().statusCode(200).extract().jsonPath();

        assertEquals(List.of(0, 1, 2, 3, 4), answer.getList("results.index"));
        assertEquals(List.of("disabled", "unknown", "disabled", "alreadyDisabled", "unknown"), answer.getList("results.status"));
        assertEquals(generated.getString("id"), answer.getString("results[0].tokenId"));
        assertEquals(chosen.getString("id"), answer.getString("results[2].tokenId"));
        assertFalse(answer.prettify().contains(real) || answer.prettify().contains(chosenSecret), "no secret in the answer");
        asAdmin().get(TOKENS + "/" + generated.getString("id")).then().statusCode(200).body("isDisabled", org.hamcrest.Matchers.is(true));
        String events = asAdmin().queryParam("objectId", generated.getString("id")).get("/admin/v1/events")
                .then().statusCode(200).body("items.summary", hasItem(org.hamcrest.Matchers.containsString("leaked")))
                .body("items.user", hasItem("admin")).extract().asString();
        assertFalse(events.contains(real), "no secret in the events");

        JsonPath again = asAdmin().body(json("secrets", List.of(real))).post(LEAKED).then().statusCode(200).extract().jsonPath();
        assertEquals("alreadyDisabled", again.getString("results[0].status"), "a retry of the scanner is harmless");
    }

    @Test
    void aStringInTheUdapiFormWithAWrongChecksumCostsNoArgon2() {
        String real = created(json("name", unique("leak-cost"))).getString("secret");
        List<String> typos = new ArrayList<>();
        for (char c : "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmno".toCharArray()) {
            if (c != real.charAt(43)) {
                typos.add(real.substring(0, 43) + c); // same lookup tag as the real one is unlikely, same token is certain to be asked
            }
        }
        double before = argon2Runs();

        JsonPath answer = asAdmin().body(json("secrets", typos)).post(LEAKED).then().statusCode(200).extract().jsonPath();

        assertEquals(Collections.nCopies(typos.size(), "unknown"), answer.getList("results.status"));
        assertEquals(before, argon2Runs(), "not one Argon2 run for " + typos.size() + " wrong checksums");
    }

    @Test
    void refusalsOfTheLeakEndpoint() {
        problem(asAdmin().body(json("secrets", List.of())).post(LEAKED), 400, "MalformedRequest");
        problem(asAdmin().body(json("secrets", Collections.nCopies(101, "x"))).post(LEAKED), 400, "MalformedRequest");
        problem(asAdmin().body(json("other", List.of("x"))).post(LEAKED), 400, "MalformedRequest");
        problem(as(createUser(Permission.TOKENS_READ)).body(json("secrets", List.of("x"))).post(LEAKED), 403, "Forbidden");
    }
}
