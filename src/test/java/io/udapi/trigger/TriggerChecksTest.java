package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.MAX_BODY;
import static io.udapi.trigger.TriggerTestSupport.assertError;
import static io.udapi.trigger.TriggerTestSupport.assertRawError;
import static io.udapi.trigger.TriggerTestSupport.chunk;
import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.patchToken;
import static io.udapi.trigger.TriggerTestSupport.randomSecret;
import static io.udapi.trigger.TriggerTestSupport.raw;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.udapi.trigger.TriggerTestSupport.RawResponse;
import io.udapi.trigger.TriggerTestSupport.Token;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/architecture.md, "The trigger path", the stage table: one test (or a small group) per row, each asserting the status, the errorCode,
 * the error envelope and the headers the row requires. Where a row's position matters, the request also
 * fails a later check, so the test shows that the earlier one answers.
 */
@QuarkusTest
@TestProfile(TriggerTestSupport.ScriptsProfile.class)
class TriggerChecksTest {

    @jakarta.inject.Inject
    io.udapi.manage.TestClock clock;

    private static final String ALLOW = "GET, POST, PUT, PATCH, DELETE";

    // ---- the method stage: 405 / 3 ----

    @ParameterizedTest
    @ValueSource(strings = {"OPTIONS", "TRACE", "PROPFIND", "FOO"})
    void methodWhenNotOneOfTheFiveThen405With3AndAllow(String method) {
        // no Authorization and an empty route: the method stage answers first
        Response r = trigger(null).request(method, "/api/custom");
        assertError(r, 405, 3).then().header("Allow", ALLOW);
    }

    @Test
    void methodWhenHeadThen405WithAllowAndNoBody() {
        RawResponse r = raw("HEAD /api/custom/anything HTTP/1.1", new byte[0]);
        assertEquals(405, r.status());
        assertEquals(ALLOW, r.header("Allow"));
        assertNotNull(r.header("X-Request-Id"));
        assertEquals(0, r.body().length);
    }

    // ---- the URL (empty route) stage: 400 / 1 ----

    @ParameterizedTest
    @ValueSource(strings = {"/api/custom", "/api/custom/", "/api/custom///"})
    void routeWhenEmptyThen400With1(String path) {
        // raw: an HTTP client might normalise the slashes away
        RawResponse r = raw("GET " + path + " HTTP/1.1", new byte[0]);
        assertRawError(r, 400, 1);
    }

    // ---- the URL (lengths) stage: 414 / 1011 ----

    @Test
    void pathWhenOver2048BytesThen414With1011() {
        String prefix = "/api/custom/";
        String atLimit = prefix + "a".repeat(2048 - prefix.length());
        // exactly 2048 bytes passes the URL (lengths) stage and stops at the auth (header) stage
        assertError(trigger(null).get(atLimit), 401, 1008);
        assertError(trigger(null).get(atLimit + "b"), 414, 1011);
        // bytes, not characters: 1000 two-byte characters percent-encoded are 6000 bytes on the wire
        assertError(trigger(null).get(prefix + "%C3%A9".repeat(400)), 414, 1011);
    }

    @Test
    void pathAndQueryWhenBothAtTheirLimitThenAcceptedAndWhenFarOverThenStill1011() {
        // a request line of about 4.1 KB: within both limits, so it must reach the auth (header) stage
        String path = "/api/custom/" + "a".repeat(2048 - "/api/custom/".length());
        assertRawError(raw("GET " + path + "?q=" + "x".repeat(2046) + " HTTP/1.1", new byte[0]), 401, 1008);
        // far over the limit, the answer is still udapi's 414/1011 (not the HTTP server's bare 414)
        assertRawError(raw("GET /api/custom/" + "a".repeat(5000) + " HTTP/1.1", new byte[0]), 414, 1011);
    }

    @Test
    void queryWhenOver2048BytesThen414With1011() {
        String query = "q=" + "x".repeat(2046);
        assertError(trigger(null).get("/api/custom/some/route?" + query), 401, 1008);
        assertError(trigger(null).get("/api/custom/some/route?" + query + "y"), 414, 1011);
    }

    // ---- the auth (header) stage: 401 / 1008 ----

    @Test
    void authorizationWhenMissingThen401With1008() {
        assertError(trigger(null).get("/api/custom/some/route"), 401, 1008);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic x", "Bearer ", "Bearer", "Bearer    ", "Token abc"})
    void authorizationWhenNotBearerWithSecretThen401With1008(String header) {
        RawResponse r = raw("GET /api/custom/some/route HTTP/1.1\r\nAuthorization: " + header, new byte[0]);
        assertRawError(r, 401, 1008);
        assertEquals("Bearer", r.header("WWW-Authenticate"));
    }

    /** The scheme folds ASCII letters only; look-alikes are sent as their UTF-8 bytes. */
    @Test
    void authorizationWhenSchemeOnlyLooksLikeBearerThen401With1008AndAsciiCaseIsFine() {
        Token token = createToken();
        String route = unique("chk-scheme");
        createDefinition(route, "ok", token);
        for (String scheme : new String[] {"B\u0435arer", "Be\u0430rer", "\u0392earer", "Bea\u0280er"}) {
            String head = "GET /api/custom/" + route + " HTTP/1.1\r\nAuthorization: " + scheme + " " + token.secret();
            RawResponse r = raw(new String(head.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1), new byte[0]);
            assertRawError(r, 401, 1008);
        }
        RawResponse ascii = raw("GET /api/custom/" + route + " HTTP/1.1\r\nAuthorization: bEARER " + token.secret(),
                new byte[0]);
        assertEquals(200, ascii.status(), ascii::bodyText);
    }

    // ---- checks 5 and 7: 401 / 1010, byte-for-byte the same ----

    @Test
    void tokenWhenUnknownDisabledExpiredOrNotAllowedThenTheSame1010Bytes() {
        Token allowed = createToken();
        Token disabled = createToken();
        Token expiring = createToken(Map.of("expiresAt", clock.instant().plus(Duration.ofHours(1)).toString()));
        Token notAllowed = createToken();
        String route = unique("chk-auth");
        createDefinition(route, "ok", allowed, disabled, expiring);
        String path = "/api/custom/" + route;

        trigger(allowed.secret()).get(path).then().statusCode(200);
        trigger(disabled.secret()).get(path).then().statusCode(200);
        trigger(expiring.secret()).get(path).then().statusCode(200); // its proof is now cached
        patchToken(disabled.id(), Map.of("isDisabled", true));
        clock.advance(Duration.ofHours(2)); // the expiry passes; the cached proof must not outlive it

        List<byte[]> bodies = List.of(
                body(assertError(trigger(randomSecret()).get(path), 401, 1010)),
                // the auth (secret) stage precedes the route stage: an unknown secret on an unknown route is still 1010, not 404
                body(assertError(trigger(randomSecret()).get("/api/custom/" + unique("nowhere")), 401, 1010)),
                body(assertError(trigger(disabled.secret()).get(path), 401, 1010)),
                body(assertError(trigger(expiring.secret()).get(path), 401, 1010)),
                body(assertError(trigger(notAllowed.secret()).get(path), 401, 1010)));
        for (byte[] body : bodies) {
            assertArrayEquals(bodies.get(0), body, () -> new String(body, StandardCharsets.UTF_8));
        }
    }

    // ---- the route stage: 404 / 5 ----

    @Test
    void routeWhenNoDefinitionMatchesThen404With5() {
        Token token = createToken();
        assertError(trigger(token.secret()).get("/api/custom/" + unique("nothing-here")), 404, 5)
                .then().header("WWW-Authenticate", nullValue());
        // same number of segments is required: a prefix of a defined route does not match
        String route = unique("chk-404");
        createDefinition(route + "/deeper", "ok", token);
        assertError(trigger(token.secret()).get("/api/custom/" + route), 404, 5);
    }

    // ---- the limit stage (429 / 1014) has its own class, TriggerRateLimitTest ----

    // ---- the media stage: 415 / 1003 ----

    @ParameterizedTest
    @ValueSource(strings = {"application/pdf", "multipart/form-data", "text/html", "application/jsonx"})
    void contentTypeWhenUnsupportedThen415With1003(String type) {
        Token token = createToken();
        String route = unique("chk-415");
        createDefinition(route, "ok", token);
        assertError(trigger(token.secret()).contentType(type).body("{}".getBytes(StandardCharsets.UTF_8)).post("/api/custom/" + route), 415, 1003);
    }

    @Test
    void contentTypeWhenUnsupportedAndBodyEmptyThenStill415() {
        Token token = createToken();
        String route = unique("chk-415e");
        createDefinition(route, "ok", token);
        RawResponse r = raw("POST /api/custom/" + route + " HTTP/1.1\r\nAuthorization: Bearer " + token.secret()
                + "\r\nContent-Type: application/pdf\r\nContent-Length: 0", new byte[0]);
        assertRawError(r, 415, 1003);
    }

    @Test
    void contentTypeWhenAbsentWithBodyThen415AndWhenAbsentWithoutBodyThenAccepted() {
        Token token = createToken();
        String route = unique("chk-415a");
        createDefinition(route, "ok", token);
        String head = "POST /api/custom/" + route + " HTTP/1.1\r\nAuthorization: Bearer " + token.secret();
        assertRawError(raw(head + "\r\nContent-Length: 2", "{}".getBytes(StandardCharsets.UTF_8)), 415, 1003);
        assertRawError(raw(head + "\r\nTransfer-Encoding: chunked",
                concat(chunk("{}".getBytes(StandardCharsets.UTF_8)), chunk(new byte[0]))), 415, 1003);
        assertEquals(200, raw(head + "\r\nContent-Length: 0", new byte[0]).status());
        assertEquals(200, raw("GET /api/custom/" + route + " HTTP/1.1\r\nAuthorization: Bearer " + token.secret(),
                new byte[0]).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "TEXT/PLAIN", "Application/XML",
            "text/xml;charset=UTF-8", " text/plain ; format=flowed"})
    void contentTypeWhenSupportedInAnyCaseOrWithParametersThenAccepted(String type) {
        Token token = createToken();
        String route = unique("chk-type");
        createDefinition(route, "ok", token);
        trigger(token.secret()).contentType(type).body("{\"a\":1}").post("/api/custom/" + route)
                .then().statusCode(200);
    }

    // ---- the body stage: 413 / 1009 ----

    @Test
    void bodyWhenContentLengthOverLimitThen413BeforeTheBodyIsSent() {
        Token token = createToken();
        String route = unique("chk-413");
        createDefinition(route, "ok", token);
        // headers only: the answer must come without the body ever being sent
        RawResponse r = raw("POST /api/custom/" + route + " HTTP/1.1\r\nAuthorization: Bearer " + token.secret()
                + "\r\nContent-Type: text/plain\r\nContent-Length: " + (MAX_BODY + 1), new byte[0]);
        assertRawError(r, 413, 1009);
    }

    @Test
    void bodyWhenChunkedOverLimitThen413() {
        Token token = createToken();
        String route = unique("chk-413c");
        createDefinition(route, "ok", token);
        byte[] part = new byte[1500];
        Arrays.fill(part, (byte) 'x');
        byte[] body = concat(chunk(part), chunk(part), chunk(part), chunk(new byte[0])); // 4500 > 4096
        RawResponse r = raw("POST /api/custom/" + route + " HTTP/1.1\r\nAuthorization: Bearer " + token.secret()
                + "\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked", body);
        assertRawError(r, 413, 1009);
    }

    /**
     * A body trickled in (here: 10 of 100 declared bytes, then nothing) is answered 408/1 once the body timeout
     * (2 s in this profile) has passed, and the connection is closed, so it holds neither the connection nor the
     * admission for long; nothing ran.
     */
    @Test
    void bodyThatDoesNotArriveWithinTheBodyTimeoutThen408AndTheConnectionClosed() {
        Token token = createToken();
        String route = unique("chk-408");
        createDefinition(route, "ok", token);
        long started = System.nanoTime();
        RawResponse r = raw("POST /api/custom/" + route + " HTTP/1.1\r\nAuthorization: Bearer " + token.secret()
                + "\r\nContent-Type: text/plain\r\nContent-Length: 100", "0123456789".getBytes(StandardCharsets.UTF_8));
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;

        assertRawError(r, 408, 1101);
        assertTrue(r.bodyText().contains("did not arrive within 2.0 s"), r.bodyText());
        assertEquals("close", r.header("Connection"));
        assertTrue(waitedMillis >= 1_900, "answered after the timeout, not before: " + waitedMillis + " ms");
    }

    @Test
    void bodyWhenExactlyAtLimitThenAccepted() {
        Token token = createToken();
        String route = unique("chk-limit");
        createDefinition(route, "ok", token);
        trigger(token.secret()).contentType("text/plain").body("x".repeat(MAX_BODY)).post("/api/custom/" + route)
                .then().statusCode(200);
    }

    // ---- the parameters stage: 400 / 10 ----

    @ParameterizedTest
    @ValueSource(strings = {"null", "[1,2]", "{\"a\":{\"b\":1}}", "{\"a\":[1]}", "{\"a\":null}", "{\"a\":", "not json",
            "\"text\"", "42"})
    void parametersWhenNotAFlatObjectOfScalarsThen400With10(String body) {
        Token token = createToken();
        String parameters = unique("chk-params");
        String run = unique("chk-run");
        createDefinition(parameters, "AutomationScript", Map.of("scriptName", "echo", "inputType", "Parameters"), token);
        createDefinition(run, "AutomationScriptNoEntryPoint", Map.of("scriptName", "run-spy"), token);
        assertError(trigger(token.secret()).contentType("application/json").body(body).post("/api/custom/" + parameters),
                400, 10);
        assertError(trigger(token.secret()).contentType("application/json").body(body).post("/api/custom/" + run),
                400, 10);
    }

    /**
     * A duplicate key (a validator in front of udapi may read the first value, a script the last) and content
     * after the object are refused like any other malformed body, with a detail that says which.
     */
    /**
     * Strings that are no Unicode text: escapes that name half a UTF-16 surrogate pair, and the bytes a fuzz
     * run found ({@code {"<F6 8A 8C 8A>":0}}, a UTF-8 lead byte above F4 that Jackson decodes into two lone
     * halves), given as hex.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"7b22f68a8c8a223a307d", "7b226b223a225c7544383344227d", "7b226b223a22615c75444530306222"
            + "7d"})
    void parametersWhenAStringIsNoUnicodeTextThen400With10(String hex) {
        byte[] body = java.util.HexFormat.of().parseHex(hex);
        Token token = createToken();
        String[] routes = flatBodyRoutes(token, "chk-sur");
        String parameters = routes[0];
        for (String route : routes) {
            assertError(trigger(token.secret()).contentType("application/json").body(body).post("/api/custom/" + route),
                    400, 10).then().body("errors[0].detail", org.hamcrest.Matchers.containsString("not Unicode text"));
        }
        // a whole pair (an emoji written as two escapes) is a character like any other
        trigger(token.secret()).contentType("application/json").body("{\"k\":\"\\uD83D\\uDE00\"}")
                .post("/api/custom/" + parameters).then().statusCode(200).body("parameters.k", equalTo("\uD83D\uDE00"));
    }

    /**
     * RFC 8259 8.1: JSON between systems is UTF-8. The same object in UTF-16 or UTF-32 (which Jackson would
     * detect and read, while the raw body is read as UTF-8) answers 400/10, with or without a byte-order mark.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE"})
    void parametersWhenTheBodyIsNotUtf8Then400With10(String charset) {
        Token token = createToken();
        for (String route : flatBodyRoutes(token, "chk-utf16")) {
            byte[] body = "{\"user\":\"admin\"}".getBytes(java.nio.charset.Charset.forName(charset));
            assertError(trigger(token.secret()).contentType("application/json").body(body).post("/api/custom/" + route),
                    400, 10).then().body("errors[0].detail", equalTo("The body must be JSON in UTF-8."));
        }
    }

    /** Two routes whose body must be flat parameters: inputType Parameters (echo), and a Run script. */
    private static String[] flatBodyRoutes(Token token, String prefix) {
        String parameters = unique(prefix);
        String run = unique(prefix + "-run");
        createDefinition(parameters, "AutomationScript", Map.of("scriptName", "echo", "inputType", "Parameters"), token);
        createDefinition(run, "AutomationScriptNoEntryPoint", Map.of("scriptName", "run-spy"), token);
        return new String[] {parameters, run};
    }

    static Stream<Arguments> repeatedKeysAndTrailingContent() {
        return Stream.of(
                Arguments.of("{\"user\":\"a\",\"user\":\"admin\"}", "Parameter 'user' appears more than once."),
                Arguments.of("{\"user\":\"a\",\"n\":1,\"user\":\"a\"}", "Parameter 'user' appears more than once."),
                Arguments.of("{\"user\":\"a\"} {\"user\":\"admin\"}", "The body has content after the JSON object."),
                Arguments.of("{\"user\":\"a\"}[]", "The body has content after the JSON object."),
                Arguments.of("{\"user\":\"a\"}x", "The body is not valid JSON."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repeatedKeysAndTrailingContent")
    void parametersWhenKeyRepeatsOrContentFollowsThen400With10(String body, String detail) {
        Token token = createToken();
        String[] routes = flatBodyRoutes(token, "chk-dup");
        String parameters = routes[0];
        for (String route : routes) {
            assertError(trigger(token.secret()).contentType("application/json").body(body).post("/api/custom/" + route),
                    400, 10).then().body("errors[0].detail", equalTo(detail));
        }
        // the same keys once each are fine
        trigger(token.secret()).contentType("application/json").body("{\"user\":\"a\",\"n\":1}  \n")
                .post("/api/custom/" + parameters).then().statusCode(200)
                .body("parameters.user", equalTo("a")).body("parameters.n", equalTo("1"));
    }

    @Test
    void parametersWhenRawBodyInputThenAnyBodyIsPassed() {
        Token token = createToken();
        String route = unique("chk-rawbody");
        createDefinition(route, "ok", token);
        trigger(token.secret()).contentType("application/json").body("[1, {\"nested\": null}]")
                .post("/api/custom/" + route).then().statusCode(200);
    }

    // ---- headers of every answer ----

    @Test
    void everyAnswerCarriesADistinctRequestId() {
        String first = trigger(null).get("/api/custom/x").header("X-Request-Id");
        String second = trigger(null).get("/api/custom/x").header("X-Request-Id");
        assertNotNull(first);
        org.junit.jupiter.api.Assertions.assertNotEquals(first, second);
        Token token = createToken();
        String route = unique("chk-rid");
        createDefinition(route, "ok", token);
        trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200)
                .header("X-Request-Id", not(emptyOrNullString()));
    }

    @Test
    void noCorsHeadersEvenWhenAnOriginIsSent() {
        Response r = RestAssured.given().header("Origin", "https://evil.example").options("/api/custom/x");
        r.then().statusCode(405).header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void pathsThatOnlyStartLikeTheTriggerPrefixAreNotTriggers() {
        // /api/customers is not /api/custom/...: no trigger envelope, no X-Request-Id
        RestAssured.given().get("/api/customers").then().statusCode(404).header("X-Request-Id", nullValue());
    }

    private static byte[] body(Response r) {
        return r.asByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
