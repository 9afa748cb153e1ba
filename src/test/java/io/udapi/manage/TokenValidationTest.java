package io.udapi.manage;

import static io.udapi.manage.AdminApi.TOKENS;
import static io.udapi.manage.AdminApi.asAdmin;
import static io.udapi.manage.AdminApi.createToken;
import static io.udapi.manage.AdminApi.json;
import static io.udapi.manage.AdminApi.problem;
import static io.udapi.manage.AdminApi.repeat;
import static io.udapi.manage.AdminApi.secret;
import static io.udapi.manage.AdminApi.unique;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The field rules of a token (docs/concepts.md, "Tokens"), each refused with its own reason. */
@QuarkusTest
class TokenValidationTest {

    @Inject
    TestClock clock;

    // ---- name

    static Stream<Arguments> invalidNames() {
        return Stream.of(
                Arguments.of("missing", json()),
                Arguments.of("null", json("name", null)),
                Arguments.of("empty", json("name", "")),
                Arguments.of("51 characters", json("name", repeat('n', 51))),
                Arguments.of("a space", json("name", "with space")),
                Arguments.of("a dot", json("name", "with.dot")),
                Arguments.of("a slash", json("name", "with/slash")),
                Arguments.of("a non-ASCII letter", json("name", "ümlaut")));
    }

    @ParameterizedTest(name = "name {0}")
    @MethodSource("invalidNames")
    void createTokenWhenNameInvalidThen400InvalidName(String label, Map<String, Object> body) {
        problem(createToken(body), 400, "InvalidName");
    }

    @Test
    void createTokenWithNameOf50AllowedCharactersThen201() {
        String prefix = unique("Az09_-");
        String name = prefix + repeat('x', 50 - prefix.length());
        createToken(json("name", name)).then().statusCode(201).body("name", equalTo(name));
    }

    // ---- secret

    static Stream<Arguments> invalidSecrets() {
        return Stream.of(
                Arguments.of("31 characters (one short)", secret(31)),
                Arguments.of("513 characters (one over)", secret(513)),
                Arguments.of("a '!'", secret(31) + "!"),
                Arguments.of("a space", secret(20) + " " + secret(20)),
                Arguments.of("a non-ASCII letter", secret(35) + "é"),
                Arguments.of("empty", ""));
    }

    @ParameterizedTest(name = "secret with {0}")
    @MethodSource("invalidSecrets")
    void createTokenWhenSecretInvalidThen400InvalidSecret(String label, String secret) {
        problem(createToken(json("name", unique("sec"), "secret", secret)), 400, "InvalidSecret")
                // the message states the rule, never the secret
                .body("errors[0].message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(
                        secret.isEmpty() ? "\u0000" : secret)));
    }

    @Test
    void createTokenWhenSecretNullThen400InvalidSecret() {
        problem(createToken(json("name", unique("sec"), "secret", null)), 400, "InvalidSecret");
    }

    @ParameterizedTest(name = "{0} characters")
    @org.junit.jupiter.params.provider.ValueSource(ints = {32, 512})
    void createTokenWithSecretOfBoundaryLengthThen201(int length) {
        String secret = secret(length);
        createToken(json("name", unique("sec"), "secret", secret)).then().statusCode(201).body("secret", equalTo(secret));
    }

    // ---- rate limit

    static Stream<Arguments> invalidRateLimits() {
        return Stream.of(
                Arguments.of("limit 0", json("limit", 0, "window", "PT1M")),
                Arguments.of("limit 101", json("limit", 101, "window", "PT1M")),
                Arguments.of("limit -1", json("limit", -1, "window", "PT1M")),
                Arguments.of("window PT0.5S (under a second)", json("limit", 5, "window", "PT0.5S")),
                Arguments.of("window P2D (over a day)", json("limit", 5, "window", "P2D")),
                Arguments.of("window PT24H0.001S (just over a day)", json("limit", 5, "window", "PT24H0.001S")),
                Arguments.of("window not a duration", json("limit", 5, "window", "a minute")),
                Arguments.of("window missing", json("limit", 5)),
                Arguments.of("limit missing", json("window", "PT1M")),
                Arguments.of("empty object", json()));
    }

    @ParameterizedTest(name = "rateLimit {0}")
    @MethodSource("invalidRateLimits")
    void createTokenWhenRateLimitInvalidThen400InvalidRateLimit(String label, Map<String, Object> rateLimit) {
        problem(createToken(json("name", unique("rl"), "rateLimit", rateLimit)), 400, "InvalidRateLimit");
    }

    static Stream<Arguments> boundaryRateLimits() {
        return Stream.of(
                Arguments.of(1, "PT1S"),
                Arguments.of(100, "P1D"),
                Arguments.of(100, "PT24H"));
    }

    @ParameterizedTest(name = "limit {0} per {1}")
    @MethodSource("boundaryRateLimits")
    void createTokenWithBoundaryRateLimitThen201(int limit, String window) {
        createToken(json("name", unique("rl"), "rateLimit", json("limit", limit, "window", window))).then()
                .statusCode(201)
                .body("rateLimit.limit", equalTo(limit))
                .body("rateLimit.window", equalTo(java.time.Duration.parse(window).toString()));
    }

    @Test
    void createTokenWithRateLimitNullThenUnlimited() {
        createToken(json("name", unique("rl"), "rateLimit", null)).then()
                .statusCode(201).body("rateLimit", org.hamcrest.Matchers.nullValue());
    }

    // ---- expiry

    static Stream<Arguments> invalidExpiries() {
        return Stream.of(
                Arguments.of("an instant in the past", "2020-01-01T00:00:00Z"),
                Arguments.of("a date in the past", "2020-01-01"),
                Arguments.of("not a date", "tomorrow"),
                Arguments.of("an impossible date", "2999-13-45"),
                Arguments.of("a date-time without offset", "2999-01-01T00:00:00"),
                Arguments.of("empty", ""));
    }

    @ParameterizedTest(name = "expiresAt {0}")
    @MethodSource("invalidExpiries")
    void createTokenWhenExpiryInvalidThen400InvalidExpiry(String label, String expiresAt) {
        problem(createToken(json("name", unique("exp"), "expiresAt", expiresAt)), 400, "InvalidExpiry");
    }

    @Test
    void createTokenWithPlainDateOfTodayThenExpiresAtTheEndOfTodayInServerZone() {
        // the server's "today", read from the same (test) clock and the server's default zone
        LocalDate today = LocalDate.now(clock.withZone(ZoneId.systemDefault()));
        String expected = today.atTime(LocalTime.of(23, 59, 59)).atZone(ZoneId.systemDefault()).toInstant().toString();

        createToken(json("name", unique("today"), "expiresAt", today.toString())).then()
                .statusCode(201)
                .body("expiresAt", equalTo(expected));
    }

    @Test
    void createTokenWithInstantWithOffsetThenStoredInUtc() {
        createToken(json("name", unique("off"), "expiresAt", "2999-06-01T12:00:00+02:00")).then()
                .statusCode(201)
                .body("expiresAt", equalTo("2999-06-01T10:00:00Z"));
    }

    @Test
    void createTokenWhenExpiryIsNowOrEarlierThen400InvalidExpiry() {
        String past = clock.instant().minus(Duration.ofSeconds(1)).toString();
        problem(createToken(json("name", unique("exp"), "expiresAt", past)), 400, "InvalidExpiry");
    }

    // ---- several problems at once

    @Test
    void createTokenWithSeveralInvalidFieldsThen400ListingEach() {
        asAdmin().body(json("name", "", "secret", "x", "rateLimit", json("limit", 0, "window", "PT1M"),
                        "expiresAt", "2000-01-01"))
                .post(TOKENS).then()
                .statusCode(400)
                .body("errors.reason", org.hamcrest.Matchers.containsInAnyOrder(
                        "InvalidName", "InvalidSecret", "InvalidExpiry", "InvalidRateLimit"));
    }
}
