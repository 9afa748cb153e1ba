package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.admin;
import static io.udapi.trigger.TriggerTestSupport.assertError;
import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.patchToken;
import static io.udapi.trigger.TriggerTestSupport.randomSecret;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.udapi.manage.TestClock;
import io.udapi.secret.SecretGenerator;
import io.udapi.trigger.TriggerTestSupport.Token;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rotation with an overlap over real HTTP (docs/tokens.md): {@code previousSecretValidFor} and
 * {@code endOverlap} on {@code POST /admin/v1/tokens/{id}/rotate}, the token view, and what the two secrets
 * do at the trigger endpoint. The overlap's end is passed with the shared forward-only {@link TestClock}.
 */
@QuarkusTest
@TestProfile(TriggerTestSupport.ScriptsProfile.class)
class RotationOverlapTest {

    @Inject
    TestClock clock;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    /** A token allowed on a new route running {@code ok}, and that route's path. */
    private record Fixture(Token token, String path) {
        static Fixture of(Map<String, Object> extra) {
            Token token = createToken(extra);
            String route = unique("rot");
            createDefinition(route, "ok", token);
            return new Fixture(token, "/api/custom/" + route);
        }

        static Fixture create() {
            return of(Map.of());
        }
    }

    private static Response rotate(String id, Map<String, Object> body) {
        return admin().body(body).post("/admin/v1/tokens/" + id + "/rotate");
    }

    private static String rotatedSecret(String id, Map<String, Object> body) {
        return rotate(id, body).then().statusCode(200).extract().path("secret");
    }

    private static ValidatableResponse problem(Response r, int status, String reason, String id) {
        return r.then().statusCode(status).contentType(startsWith("application/json"))
                .body("errors[0].reason", equalTo(reason))
                .body("errors[0].id", id == null ? nullValue() : equalTo(id))
                .body("errors[0].message", not(emptyOrNullString()));
    }

    private static ValidatableResponse view(String id) {
        return admin().get("/admin/v1/tokens/" + id).then().statusCode(200);
    }

    // ---- the overlap

    @Test
    void rotateWithPreviousSecretValidForThenBothSecretsTriggerAndTheViewShowsTheOverlap() {
        Fixture f = Fixture.create();
        trigger(f.token().secret()).get(f.path()).then().statusCode(200);
        Instant before = clock.instant();

        Response rotated = rotate(f.token().id(), Map.of("previousSecretValidFor", "PT1H"));

        rotated.then().statusCode(200)
                .header("ETag", "\"2\"")
                .body("version", equalTo(2))
                .body("secret", not(emptyOrNullString()))
                .body("previousSecretHint", equalTo(f.token().secret().substring(0, 4)));
        String newSecret = rotated.path("secret");
        Instant until = Instant.parse(rotated.path("previousSecretExpiresAt"));
        assertFalse(until.isBefore(before.plus(Duration.ofHours(1))), until + " is one hour after the rotation");
        assertFalse(until.isAfter(clock.instant().plus(Duration.ofHours(1))), until + " is one hour after the rotation");
        assertEquals(SecretGenerator.Form.GENERATED, SecretGenerator.form(newSecret));
        trigger(f.token().secret()).get(f.path()).then().statusCode(200);
        trigger(newSecret).get(f.path()).then().statusCode(200);
        view(f.token().id())
                .body("$", not(hasKey("secret")))
                .body("secretHint", equalTo(newSecret.substring(0, 4)))
                .body("previousSecretHint", equalTo(f.token().secret().substring(0, 4)))
                .body("previousSecretExpiresAt", equalTo(until.toString()));
    }

    @Test
    void previousSecretWhenOverlapEndsThenRefusedAndTheViewFieldsNullWithoutANewVersion() {
        Fixture f = Fixture.create();
        String newSecret = rotatedSecret(f.token().id(), Map.of("previousSecretValidFor", "PT10M"));
        trigger(f.token().secret()).get(f.path()).then().statusCode(200); // proved once, now cached

        clock.advance(Duration.ofMinutes(10).plusSeconds(1));

        assertError(trigger(f.token().secret()).get(f.path()), 401, 1010);
        trigger(newSecret).get(f.path()).then().statusCode(200);
        view(f.token().id())
                .body("version", equalTo(2))
                .body("previousSecretHint", nullValue())
                .body("previousSecretExpiresAt", nullValue());
    }

    @Test
    void rotateWithoutPreviousSecretValidForThenTheOldSecretStopsAtOnce() {
        Fixture f = Fixture.create();
        trigger(f.token().secret()).get(f.path()).then().statusCode(200);

        Response rotated = rotate(f.token().id(), Map.of());

        rotated.then().statusCode(200)
                .body("$", hasKey("previousSecretHint")).body("previousSecretHint", nullValue())
                .body("$", hasKey("previousSecretExpiresAt")).body("previousSecretExpiresAt", nullValue());
        assertError(trigger(f.token().secret()).get(f.path()), 401, 1010);
        trigger(rotated.<String>path("secret")).get(f.path()).then().statusCode(200);
    }

    @Test
    void rotateWithPT0SThenTheOldSecretStopsAtOnce() {
        Fixture f = Fixture.create();

        String newSecret = rotate(f.token().id(), Map.of("previousSecretValidFor", "PT0S")).then().statusCode(200)
                .body("previousSecretHint", nullValue()).extract().path("secret");

        assertError(trigger(f.token().secret()).get(f.path()), 401, 1010);
        trigger(newSecret).get(f.path()).then().statusCode(200);
    }

    @Test
    void rotateDuringAnOverlapThenTheOlderPreviousSecretStopsAtOnceAndTheTokenHasTwoSecrets() {
        Fixture f = Fixture.create();
        String second = rotatedSecret(f.token().id(), Map.of("previousSecretValidFor", "PT1H"));
        trigger(f.token().secret()).get(f.path()).then().statusCode(200);

        String third = rotate(f.token().id(), Map.of("previousSecretValidFor", "PT1H")).then().statusCode(200)
                .body("previousSecretHint", equalTo(second.substring(0, 4))).extract().path("secret");

        assertError(trigger(f.token().secret()).get(f.path()), 401, 1010);
        trigger(second).get(f.path()).then().statusCode(200);
        trigger(third).get(f.path()).then().statusCode(200);
    }

    @Test
    void rotateAgainThenTheUseOfTheOlderPreviousSecretIsNotShownAsAUseOfTheNewOne() {
        Fixture f = Fixture.create();
        String second = rotatedSecret(f.token().id(), Map.of("previousSecretValidFor", "PT1H"));
        trigger(f.token().secret()).get(f.path()).then().statusCode(200); // the first secret, as the previous one
        view(f.token().id()).body("previousSecretLastUsedAt", notNullValue());

        clock.advance(Duration.ofSeconds(1));
        rotate(f.token().id(), Map.of("previousSecretValidFor", "PT1H")).then().statusCode(200);
        view(f.token().id()).body("previousSecretHint", equalTo(second.substring(0, 4)))
                .body("previousSecretLastUsedAt", nullValue()); // the second secret was never used as the previous one

        clock.advance(Duration.ofSeconds(1));
        Instant before = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        trigger(second).get(f.path()).then().statusCode(200);
        Instant used = Instant.parse(view(f.token().id()).extract().path("previousSecretLastUsedAt"));
        assertFalse(used.isBefore(before) || used.isAfter(clock.instant()), used + " is the trigger's time");
    }

    @Test
    void patchOfTheSecretDuringAnOverlapThenBothOldSecretsStopAtOnce() {
        Fixture f = Fixture.create();
        String second = rotatedSecret(f.token().id(), Map.of("previousSecretValidFor", "PT1H"));
        String third = randomSecret();

        patchToken(f.token().id(), Map.of("secret", third));

        assertError(trigger(f.token().secret()).get(f.path()), 401, 1010);
        assertError(trigger(second).get(f.path()), 401, 1010);
        trigger(third).get(f.path()).then().statusCode(200);
        view(f.token().id()).body("previousSecretHint", nullValue());
    }

    @Test
    void previousSecretThenSameRateLimitAsTheCurrentOne() {
        Fixture f = Fixture.of(Map.of("rateLimit", Map.of("limit", 3, "window", "P1D")));
        String newSecret = rotatedSecret(f.token().id(), Map.of("previousSecretValidFor", "PT1H"));

        trigger(f.token().secret()).get(f.path()).then().statusCode(200);
        trigger(newSecret).get(f.path()).then().statusCode(200);
        trigger(f.token().secret()).get(f.path()).then().statusCode(200);

        assertError(trigger(newSecret).get(f.path()), 429, 1014);
        assertError(trigger(f.token().secret()).get(f.path()), 429, 1014);
    }

    @Test
    void previousSecretThenSamePermissionsAsTheCurrentOne() {
        Fixture f = Fixture.create();
        String other = unique("rot-other");
        createDefinition(other, "ok", createToken());
        rotatedSecret(f.token().id(), Map.of("previousSecretValidFor", "PT1H"));

        trigger(f.token().secret()).get(f.path()).then().statusCode(200);
        assertError(trigger(f.token().secret()).get("/api/custom/" + other), 401, 1010);
    }

    @Test
    void tokenWhenDisabledDuringAnOverlapThenBothSecretsStopAndWhenReEnabledBothWork() {
        Fixture f = Fixture.create();
        String newSecret = rotatedSecret(f.token().id(), Map.of("previousSecretValidFor", "PT1H"));
        trigger(f.token().secret()).get(f.path()).then().statusCode(200);

        patchToken(f.token().id(), Map.of("isDisabled", true));
        assertError(trigger(f.token().secret()).get(f.path()), 401, 1010);
        assertError(trigger(newSecret).get(f.path()), 401, 1010);

        patchToken(f.token().id(), Map.of("isDisabled", false));
        trigger(f.token().secret()).get(f.path()).then().statusCode(200);
        trigger(newSecret).get(f.path()).then().statusCode(200);
    }

    @Test
    void tokenWhenExpiredDuringAnOverlapThenBothSecretsStop() {
        Fixture f = Fixture.of(Map.of("expiresAt", clock.instant().plus(Duration.ofMinutes(30)).toString()));
        String newSecret = rotatedSecret(f.token().id(), Map.of("previousSecretValidFor", "PT2H"));
        trigger(f.token().secret()).get(f.path()).then().statusCode(200);
        trigger(newSecret).get(f.path()).then().statusCode(200);

        clock.advance(Duration.ofMinutes(31));

        assertError(trigger(f.token().secret()).get(f.path()), 401, 1010);
        assertError(trigger(newSecret).get(f.path()), 401, 1010);
    }

    @Test
    void tokenWhenDeletedDuringAnOverlapThenBothSecretsStop() {
        Token token = createToken();
        String route = unique("rot-del");
        String definition = createDefinition(route, "ok", token);
        String newSecret = rotatedSecret(token.id(), Map.of("previousSecretValidFor", "PT1H"));
        trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200);
        admin().delete("/admin/v1/definitions/" + definition).then().statusCode(204);
        // authenticated but no route: 404/5, so both secrets still prove the token
        assertError(trigger(token.secret()).get("/api/custom/" + route), 404, 5);

        admin().delete("/admin/v1/tokens/" + token.id()).then().statusCode(204);

        assertError(trigger(token.secret()).get("/api/custom/" + route), 401, 1010);
        assertError(trigger(newSecret).get("/api/custom/" + route), 401, 1010);
    }

    // ---- endOverlap

    @Test
    void endOverlapThenThePreviousSecretStopsAtOnceWithANewVersionAndAnEvent() {
        Fixture f = Fixture.create();
        String newSecret = rotatedSecret(f.token().id(), Map.of("previousSecretValidFor", "PT1H"));
        trigger(f.token().secret()).get(f.path()).then().statusCode(200);

        rotate(f.token().id(), Map.of("endOverlap", true)).then().statusCode(200)
                .header("ETag", "\"3\"")
                .body("version", equalTo(3))
                .body("$", not(hasKey("secret")))
                .body("secretHint", equalTo(newSecret.substring(0, 4)))
                .body("previousSecretHint", nullValue())
                .body("previousSecretExpiresAt", nullValue());

        assertError(trigger(f.token().secret()).get(f.path()), 401, 1010);
        trigger(newSecret).get(f.path()).then().statusCode(200);
        admin().queryParam("objectId", f.token().id()).get("/admin/v1/events").then().statusCode(200)
                .body("items[0].summary", containsString("overlap ended early"));
    }

    @Test
    void endOverlapWithoutAnOverlapThen200AndTheTokenUnchanged() {
        Fixture f = Fixture.create();

        rotate(f.token().id(), Map.of("endOverlap", true)).then().statusCode(200)
                .header("ETag", "\"1\"")
                .body("version", equalTo(1))
                .body("$", not(hasKey("secret")))
                .body("previousSecretHint", nullValue());

        trigger(f.token().secret()).get(f.path()).then().statusCode(200);
        admin().queryParam("objectId", f.token().id()).get("/admin/v1/events").then().statusCode(200)
                .body("total", equalTo(1)); // only "created"
    }

    @Test
    void endOverlapAfterTheOverlapHasEndedThen200AndTheTokenUnchanged() {
        Fixture f = Fixture.create();
        rotatedSecret(f.token().id(), Map.of("previousSecretValidFor", "PT1S"));
        clock.advance(Duration.ofSeconds(2));

        rotate(f.token().id(), Map.of("endOverlap", true)).then().statusCode(200).body("version", equalTo(2));
    }

    static Stream<Arguments> invalidEndOverlap() {
        return Stream.of(
                Arguments.of("false", Map.of("endOverlap", false)),
                Arguments.of("a string", Map.of("endOverlap", "yes")),
                Arguments.of("null", json("endOverlap", null)),
                Arguments.of("a number", Map.of("endOverlap", 1)),
                Arguments.of("with a secret", Map.of("endOverlap", true, "secret", randomSecret())),
                Arguments.of("with previousSecretValidFor", Map.of("endOverlap", true, "previousSecretValidFor", "PT1H")));
    }

    @ParameterizedTest(name = "endOverlap {0}")
    @MethodSource("invalidEndOverlap")
    void endOverlapWhenNotTrueAloneThen400InvalidRotationAndTheTokenUnchanged(String label, Map<String, Object> body) {
        Fixture f = Fixture.create();
        String newSecret = rotatedSecret(f.token().id(), Map.of("previousSecretValidFor", "PT1H"));

        problem(rotate(f.token().id(), body), 400, "InvalidRotation", f.token().id());

        view(f.token().id()).body("version", equalTo(2)).body("secretHint", equalTo(newSecret.substring(0, 4)))
                .body("previousSecretHint", equalTo(f.token().secret().substring(0, 4)));
        trigger(f.token().secret()).get(f.path()).then().statusCode(200);
    }

    // ---- previousSecretValidFor rules

    static Stream<Arguments> invalidValidFor() {
        return Stream.of(
                Arguments.of("not a duration", "banana"),
                Arguments.of("empty", ""),
                Arguments.of("over seven days", "P8D"),
                Arguments.of("one second over seven days", "PT168H1S"),
                Arguments.of("negative", "-PT1S"),
                Arguments.of("negative days", "P-1D"),
                Arguments.of("weeks (not an ISO duration of java.time)", "P1W"),
                Arguments.of("a period with months", "P1M"),
                Arguments.of("a number", 3600),
                Arguments.of("null", null),
                Arguments.of("a boolean", true),
                Arguments.of("an object", Map.of("seconds", 1)),
                Arguments.of("an array", List.of("PT1H")));
    }

    @ParameterizedTest(name = "previousSecretValidFor {0}")
    @MethodSource("invalidValidFor")
    void rotateWithPreviousSecretValidForOutsidePT0SToP7DThen400InvalidRotationAndNothingChanged(String label, Object value) {
        Fixture f = Fixture.create();

        problem(rotate(f.token().id(), json("previousSecretValidFor", value)), 400, "InvalidRotation", f.token().id())
                .body("errors[0].message", containsString("previousSecretValidFor"));

        view(f.token().id()).body("version", equalTo(1));
        trigger(f.token().secret()).get(f.path()).then().statusCode(200);
    }

    @Test
    void rotateWithPreviousSecretValidForP7DThen200WithTheOverlapSevenDaysLong() {
        Token token = createToken();
        Instant before = clock.instant();

        String until = rotate(token.id(), Map.of("previousSecretValidFor", "P7D")).then().statusCode(200)
                .extract().path("previousSecretExpiresAt");

        assertFalse(Instant.parse(until).isBefore(before.plus(Duration.ofDays(7))));
        assertFalse(Instant.parse(until).isAfter(clock.instant().plus(Duration.ofDays(7))));
    }

    @Test
    void rotateWithAnInvalidSecretAndAnInvalidOverlapThenBothProblemsAnswered() {
        Token token = createToken();

        rotate(token.id(), Map.of("secret", "short", "previousSecretValidFor", "P8D")).then().statusCode(400)
                .body("errors.reason", hasItem("InvalidSecret"))
                .body("errors.reason", hasItem("InvalidRotation"));
    }

    @Test
    void rotateWithAnUnknownFieldThen400MalformedRequest() {
        Token token = createToken();

        problem(rotate(token.id(), Map.of("overlap", "PT1H")), 400, "MalformedRequest", null)
                .body("errors[0].message", containsString("previousSecretValidFor"));
    }

    @Test
    void rotateWithAnOverlapOfAnUnknownTokenThen404NotFound() {
        String id = java.util.UUID.randomUUID().toString();
        problem(rotate(id, Map.of("previousSecretValidFor", "PT1H")), 404, "NotFound", id);
        problem(rotate(id, Map.of("endOverlap", true)), 404, "NotFound", id);
    }

    // ---- uniqueness, audit, leaks

    @Test
    void secretOfAnotherTokensLivePreviousSecretThen400InvalidSecretAndFreeOnceTheOverlapEnds() {
        Fixture holder = Fixture.create();
        String old = holder.token().secret();
        rotatedSecret(holder.token().id(), Map.of("previousSecretValidFor", "PT5M"));
        trigger(old).get(holder.path()).then().statusCode(200); // the previous secret's proof is now cached
        Token other = createToken();

        problem(admin().body(Map.of("name", unique("dup"), "secret", old)).post("/admin/v1/tokens"),
                400, "InvalidSecret", null);
        problem(rotate(other.id(), Map.of("secret", old)), 400, "InvalidSecret", other.id());
        problem(admin().body(Map.of("secret", old)).patch("/admin/v1/tokens/" + other.id()),
                400, "InvalidSecret", other.id());

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        Response created = admin().body(Map.of("name", unique("reuse"), "secret", old)).post("/admin/v1/tokens");
        created.then().statusCode(201);
        String route = unique("rot-reuse");
        createDefinition(route, "ok", new Token(created.path("id"), created.path("name"), old));
        // the cached proof for the holder's ended overlap does not stand in the way of the new owner
        trigger(old).get("/api/custom/" + route).then().statusCode(200);
        assertError(trigger(old).get(holder.path()), 401, 1010);
    }

    @Test
    void rotateThenTheAuditEventSaysHowLongThePreviousSecretStaysValidAndNeverTheSecret() {
        Token token = createToken();
        String second = rotatedSecret(token.id(), Map.of("previousSecretValidFor", "PT2H"));
        String third = rotatedSecret(token.id(), Map.of());

        String events = admin().queryParam("objectId", token.id()).get("/admin/v1/events").then().statusCode(200)
                .body("items[0].summary", equalTo(token.name() + ": secret rotated; the previous secret stopped at once"))
                .body("items[1].summary", startsWith(token.name() + ": secret rotated; the previous secret stays valid "
                        + "for PT2H, until "))
                .extract().asString();
        for (String secret : List.of(token.secret(), second, third)) {
            assertFalse(events.contains(secret), "no secret in the events");
        }
    }

    @Test
    void leakReportOfAPreviousSecretDuringTheOverlapThenTheTokenIsDisabled() {
        Fixture f = Fixture.create();
        String newSecret = rotatedSecret(f.token().id(), Map.of("previousSecretValidFor", "PT1H"));

        admin().body(Map.of("secrets", List.of(f.token().secret()))).post("/admin/v1/tokens/leaked").then()
                .statusCode(200)
                .body("results[0].status", equalTo("disabled"))
                .body("results[0].tokenId", equalTo(f.token().id()));

        assertError(trigger(newSecret).get(f.path()), 401, 1010);
    }

    @Test
    void leakReportOfAPreviousSecretAfterTheOverlapThenUnknown() {
        Token token = createToken();
        rotatedSecret(token.id(), Map.of("previousSecretValidFor", "PT1M"));
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));

        admin().body(Map.of("secrets", List.of(token.secret()))).post("/admin/v1/tokens/leaked").then()
                .statusCode(200)
                .body("results[0].status", equalTo("unknown"))
                .body("results[0]", not(hasKey("tokenId")));
        view(token.id()).body("isDisabled", equalTo(false));
    }

    // ---- cost

    @Test
    void previousSecretWhenRepeatedThenServedFromTheCacheWithoutArgon2() {
        Fixture f = Fixture.create();
        rotatedSecret(f.token().id(), Map.of("previousSecretValidFor", "PT1H"));
        trigger(f.token().secret()).get(f.path()).then().statusCode(200); // the one Argon2 run after the rotation
        double verifications = metric("udapi_secret_verifications_total");
        double hits = metric("udapi_secret_cache_hits_total");

        for (int i = 0; i < 30; i++) {
            trigger(f.token().secret()).get(f.path()).then().statusCode(200);
        }

        assertEquals(verifications, metric("udapi_secret_verifications_total"), "Argon2 runs for a cached previous secret");
        assertTrue(metric("udapi_secret_cache_hits_total") >= hits + 30);
    }

    @Test
    void udapiStringWithAWrongChecksumThen401WithoutArgon2AndRefusedAsAChosenSecret() {
        Fixture f = Fixture.create();
        String generated = new SecretGenerator().generate();
        String wrong = generated.substring(0, 43) + (generated.charAt(43) == 'a' ? 'b' : 'a');
        assertEquals(SecretGenerator.Form.BAD_CHECKSUM, SecretGenerator.form(wrong));
        double verifications = metric("udapi_secret_verifications_total");

        for (int i = 0; i < 20; i++) {
            assertError(trigger(wrong).get(f.path()), 401, 1010);
        }

        assertEquals(verifications, metric("udapi_secret_verifications_total"));
        problem(admin().body(Map.of("name", unique("badsum"), "secret", wrong)).post("/admin/v1/tokens"),
                400, "InvalidSecret", null).body("errors[0].message", containsString("checksum"));
        problem(rotate(f.token().id(), Map.of("secret", wrong)), 400, "InvalidSecret", f.token().id());
    }

    // ---- helpers

    /** A map that, unlike {@link Map#of}, may hold a null value. */
    private static Map<String, Object> json(String key, Object value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(key, value);
        return body;
    }

    private double metric(String name) {
        return TriggerTestSupport.metric(metrics, name);
    }
}
