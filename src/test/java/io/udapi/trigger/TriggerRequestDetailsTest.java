package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.NODE_ID;
import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.udapi.trigger.TriggerTestSupport.Token;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md, "The trigger path", and the OnApiTrigger input of docs/scripts.md, seen through the {@code echo} script, which
 * answers with the exact input JSON udapi gave it.
 */
@QuarkusTest
@TestProfile(TriggerTestSupport.ScriptsProfile.class)
class TriggerRequestDetailsTest {

    @Test
    void routeWhenSlashesRepeatCaseDiffersAndSegmentsAreEncodedThenNormalisedDecodedAndMatched() {
        Token token = createToken();
        String prefix = unique("rd");
        String definitionId = createDefinition(prefix + "/tickets/{id}/status", "echo", token);
        String sent = "//" + prefix.toUpperCase(Locale.ROOT) + "//Tickets/4%202%C3%A9%2Fx/STATUS/";

        Response r = trigger(token.secret()).get("/api/custom" + sent);
        r.then().statusCode(200);
        JsonPath input = r.jsonPath();
        assertEquals("GET", input.getString("requestMethod"));
        assertEquals(prefix.toUpperCase(Locale.ROOT) + "/Tickets/4 2é/x/STATUS", input.getString("route"));
        assertEquals(prefix + "/tickets/{id}/status", input.getString("routeTemplate"));
        assertEquals(Map.of("id", "4 2é/x"), input.getMap("routeParameters"));
        assertEquals("", input.getString("rawBody"));
        assertEquals(Map.of(), input.getMap("parameters"));
        assertEquals(Map.of(), input.getMap("queryParameters"));
        assertEquals(Map.of("tokenId", token.id(), "tokenName", token.name(), "definitionId", definitionId,
                "requestId", r.header("X-Request-Id"), "nodeId", NODE_ID), input.getMap("context"));
    }

    /**
     * One surface (docs/security.md): the route is taken from the path the router matched, so dot segments and
     * escaped unreserved characters cannot make a route parameter of {@code ..} or send a trigger elsewhere.
     */
    @Test
    void pathWithDotSegmentsOrEscapedUnreservedCharactersThenRoutedAsItsNormalisedForm() {
        Token token = createToken();
        String prefix = unique("rd-dots");
        createDefinition(prefix + "/files/{name}", "echo", token);
        TriggerTestSupport.RawResponse dots = TriggerTestSupport.raw("GET /api/custom/" + prefix
                + "/files/secret/../report HTTP/1.1\r\nAuthorization: Bearer " + token.secret(), new byte[0]);
        assertEquals(200, dots.status(), dots.bodyText());
        JsonPath input = new JsonPath(dots.bodyText());
        assertEquals(Map.of("name", "report"), input.getMap("routeParameters"));
        assertEquals(prefix + "/files/report", input.getString("route"));

        TriggerTestSupport.RawResponse escaped = TriggerTestSupport.raw("GET /%61pi/custom/" + prefix
                + "/files/%72eport HTTP/1.1\r\nAuthorization: Bearer " + token.secret(), new byte[0]);
        assertEquals(200, escaped.status(), escaped.bodyText());
        assertEquals(Map.of("name", "report"), new JsonPath(escaped.bodyText()).getMap("routeParameters"));

        TriggerTestSupport.RawResponse anonymous = TriggerTestSupport.raw("GET /x/../api/custom/" + prefix
                + "/files/a HTTP/1.1", new byte[0]);
        TriggerTestSupport.assertRawError(anonymous, 401, 1008);
    }

    /** docs/concepts.md, "Routes": literals fold ASCII letters only, so the Kelvin sign (U+212A) is not a k and long s not an s. */
    @Test
    void routeWhenSegmentMatchesOnlyUnderUnicodeFoldingThen404With5() {
        Token token = createToken();
        String prefix = unique("rd-fold");
        createDefinition(prefix + "/key", "echo", token);
        createDefinition(prefix + "/set", "echo", token);
        TriggerTestSupport.assertError(trigger(token.secret()).get("/api/custom/" + prefix + "/%E2%84%AAey"), 404, 5);
        TriggerTestSupport.assertError(trigger(token.secret()).get("/api/custom/" + prefix + "/%C5%BFet"), 404, 5);
        TriggerTestSupport.assertError(trigger(token.secret()).get("/api/custom/" + prefix + "/%C5%BFET"), 404, 5);
        assertEquals(prefix + "/key", template(token, prefix.toUpperCase(Locale.ROOT) + "/KEY"));
        assertEquals(prefix + "/set", template(token, prefix + "/SeT"));
    }

    @Test
    void queryWhenKeysLookLikeJsonPointersOrHoldBrokenUtf8AndControlCharactersThenEachKeptAsOneKeyAndTheInputStaysJson() {
        Token token = createToken();
        String route = unique("rd-hostile-query");
        createDefinition(route, "echo", token);
        // "/a/b" and "/0" would be paths to a JSON-pointer reader; %ED%A0%80 is a UTF-16 surrogate encoded as UTF-8
        // (invalid UTF-8, one replacement character); %22%5C%0A%01 are a quote, a backslash, a newline and a control character
        JsonPath input = trigger(token.secret()).urlEncodingEnabled(false)
                .get("/api/custom/" + route + "?/a/b=1&/0=2&s=%ED%A0%80&q=%22%5C%0A%01")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Object> query = input.getMap("queryParameters");
        assertEquals(Map.of("/a/b", List.of("1"), "/0", List.of("2"), "s", List.of("\uFFFD"),
                "q", List.of("\"\\\n\u0001")), query);
    }

    @Test
    void queryWhenKeysRepeatHaveNoValueOrDifferInCaseThenAllKeptAsSent() {
        Token token = createToken();
        String route = unique("rd-query");
        createDefinition(route, "echo", token);
        JsonPath input = trigger(token.secret()).get("/api/custom/" + route + "?a=1&flag&a=2&empty=&B=upper&b=lower&e=%C3%A9")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(Map.of("a", List.of("1", "2"), "flag", List.of(""), "empty", List.of(""), "B", List.of("upper"),
                "b", List.of("lower"), "e", List.of("é")), input.getMap("queryParameters"));
        assertEquals(Map.of(), input.getMap("parameters")); // query never merges into parameters
    }

    @Test
    void routeWhenLiteralAndPlaceholderBothMatchThenLiteralWinsAtTheFirstDifferingSegment() {
        Token token = createToken();
        String foo = unique("rd-foo");
        String bar = unique("rd-bar");
        createDefinition(foo + "/" + bar, "echo", token);      // foo/bar
        createDefinition(foo + "/{x}", "echo", token);          // foo/{x}
        createDefinition("{y}/" + bar, "echo", token);          // {y}/bar

        assertEquals(foo + "/" + bar, template(token, foo.toUpperCase(Locale.ROOT) + "/" + bar));
        JsonPath placeholder = echo(token, foo + "/other");
        assertEquals(foo + "/{x}", placeholder.getString("routeTemplate"));
        assertEquals(Map.of("x", "other"), placeholder.getMap("routeParameters"));
        JsonPath leading = echo(token, "other/" + bar);
        assertEquals("{y}/" + bar, leading.getString("routeTemplate"));
        assertEquals(Map.of("y", "other"), leading.getMap("routeParameters"));
    }

    @Test
    void bodyWhenRawBodyInputThenPassedAsTextAndParametersEmpty() {
        Token token = createToken();
        String route = unique("rd-raw");
        createDefinition(route, "echo", token);
        JsonPath input = trigger(token.secret()).contentType("application/json").body("{\"k\":\"v\", \"n\": [1]}")
                .patch("/api/custom/" + route).then().statusCode(200).extract().jsonPath();
        assertEquals("PATCH", input.getString("requestMethod"));
        assertEquals("{\"k\":\"v\", \"n\": [1]}", input.getString("rawBody"));
        assertEquals(Map.of(), input.getMap("parameters"));
    }

    /** docs/scripts.md: an encoded slash is decoded inside one parameter, so a parameter may hold "../". */
    @Test
    void routeParameterWithEncodedSlashesHoldsThemDecodedInOneSegment() {
        Token token = createToken();
        String prefix = unique("rd-slash");
        createDefinition(prefix + "/files/{name}", "echo", token);
        JsonPath input = trigger(token.secret()).get("/api/custom/" + prefix + "/files/..%2F..%2Fetc%2Fpasswd")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(Map.of("name", "../../etc/passwd"), input.getMap("routeParameters"));
    }

    @Test
    void bodyWhenParametersInputThenScalarsBecomeStrings() {
        Token token = createToken();
        String route = unique("rd-params");
        createDefinition(route, "AutomationScript", Map.of("scriptName", "echo", "inputType", "Parameters"), token);
        String body = "{\"s\":\"text\",\"i\":42,\"d\":-3.5,\"t\":true,\"f\":false,\"e\":\"\",\"z\":1.50,"
                + "\"big\":12345678901234567890.5,\"tiny\":0.0000001,\"neg0\":-0,\"exp\":1e3,\"Exp\":-2.5E-3}";
        JsonPath input = trigger(token.secret()).contentType("application/json").body(body)
                .post("/api/custom/" + route + "?s=query").then().statusCode(200).extract().jsonPath();
        assertEquals(Map.ofEntries(Map.entry("s", "text"), Map.entry("i", "42"), Map.entry("d", "-3.5"), Map.entry("t", "true"),
                Map.entry("f", "false"), Map.entry("e", ""), Map.entry("z", "1.50"), Map.entry("big", "12345678901234567890.5"),
                Map.entry("tiny", "0.0000001"), Map.entry("neg0", "-0"), Map.entry("exp", "1e3"), Map.entry("Exp", "-2.5E-3")),
                input.getMap("parameters")); // the JSON text as written, not a double's nor a BigDecimal's

        assertEquals(Map.of("s", List.of("query")), input.getMap("queryParameters"));
        assertEquals(body, input.getString("rawBody"));

        JsonPath empty = trigger(token.secret()).delete("/api/custom/" + route).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(Map.of(), empty.getMap("parameters"));
        assertEquals("", empty.getString("rawBody"));
    }

    private static JsonPath echo(Token token, String route) {
        return trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200).extract().jsonPath();
    }

    private static String template(Token token, String route) {
        return echo(token, route).getString("routeTemplate");
    }
}
