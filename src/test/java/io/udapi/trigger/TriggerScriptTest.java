package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.assertError;
import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.udapi.trigger.TriggerTestSupport.Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docs/scripts.md over HTTP: the answers built from a script's output, every script error code the
 * process engine can produce with a real {@code #!/bin/sh} script, and the {@code Run} contract.
 */
@QuarkusTest
@TestProfile(TriggerTestSupport.ScriptsProfile.class)
class TriggerScriptTest {

    // ---- script errors of docs/scripts.md ----

    @ParameterizedTest(name = "{0} -> {1}/{2}")
    @CsvSource({
            "exit3,     500, 12",   // non-zero exit, whatever it printed (here a valid answer)
            "notjson,   500, 13",
            "nocode,    500, 13",
            "code99,    500, 1002",
            "code101,   500, 1002", // an informational code is not an answer
            "code600,   500, 1002",
            "codestring, 500, 13",  // not a JSON number: a wrongly typed field
            "codetrue,  500, 13",
            "ucs4,      500, 13",   // 00 01 00 00: undecodable bytes, not an unexpected error (8)
            "bigbody,   500, 17",   // 5000 decoded bytes over the 4 KiB limit of the profile
            "badheader, 500, 1013", // 'X Bad': not an RFC 9110 token
            "setcookie, 500, 1012",
    })
    void scriptWhenOutputBreaksARuleThenItsErrorCode(String script, int status, int errorCode) {
        Token token = createToken();
        String route = unique("scr-" + script);
        createDefinition(route, script, token);
        Response r = trigger(token.secret()).get("/api/custom/" + route);
        assertError(r, status, errorCode);
        // the error answer is udapi's own: nothing the script printed leaks into it
        r.then().body(not(containsString("fine")));
    }

    @Test
    void scriptWhenMissingThen500With15() {
        Token token = createToken();
        String route = unique("scr-missing");
        createDefinition(route, unique("no-such-script"), token);
        assertError(trigger(token.secret()).get("/api/custom/" + route), 500, 15);
        String run = unique("scr-missing-run");
        createDefinition(run, "AutomationScriptNoEntryPoint", Map.of("scriptName", unique("no-such-run")), token);
        assertError(trigger(token.secret()).get("/api/custom/" + run), 500, 15);
    }

    // ---- AutomationScriptNoEntryPoint (Run) ----

    @Test
    void runWhenDeclaredParametersAreMissingThen400With16ListingThemInOrder() {
        Token token = createToken();
        String route = unique("run-declared");
        createDefinition(route, "AutomationScriptNoEntryPoint", Map.of("scriptName", "run-declared"), token);
        String path = "/api/custom/" + route;

        assertError(trigger(token.secret()).contentType("application/json").post(path), 400, 16)
                .then().body("errors[0].missingScriptParameters", contains("channel", "level"));
        assertError(trigger(token.secret()).contentType("application/json").body("{\"level\":3}").post(path), 400, 16)
                .then().body("errors[0].missingScriptParameters", contains("channel"));
        // query parameters never count as parameters
        assertError(trigger(token.secret()).contentType("application/json").body("{\"level\":3}")
                .post(path + "?channel=x"), 400, 16);
        trigger(token.secret()).contentType("application/json").body("{\"level\":3,\"channel\":\"ops\",\"extra\":true}")
                .post(path).then().statusCode(200).body(emptyString());
    }

    @Test
    void runWhenItSucceedsThen200WithEmptyBodyAndEveryParameterPassed() throws Exception {
        Token token = createToken();
        String route = unique("run-spy");
        createDefinition(route, "AutomationScriptNoEntryPoint", Map.of("scriptName", "run-spy"), token);
        String requestId = trigger(token.secret()).contentType("application/json")
                .body("{\"s\":\"text\",\"n\":42,\"b\":false,\"undeclared\":\"kept\"}")
                .put("/api/custom/" + route + "?q=never")
                .then().statusCode(200).body(emptyString()).header("X-Request-Id", not(emptyString()))
                .extract().header("X-Request-Id");
        Path file = TriggerTestSupport.scriptOutput("last-run-params.json");
        JsonPath params = new JsonPath(Files.readString(file));
        assertEquals(Map.of("s", "text", "n", "42", "b", "false", "undeclared", "kept"), params.getMap(""));
        // SPEC 2: the request id is passed to the script, in UDAPI_REQUEST_ID for a Run
        assertEquals(requestId, Files.readString(TriggerTestSupport.scriptOutput("last-run-request-id")));
    }

    @Test
    void runWhenScriptFailsThen500With12WithoutItsStderr() {
        Token token = createToken();
        String route = unique("run-fail");
        createDefinition(route, "AutomationScriptNoEntryPoint", Map.of("scriptName", "run-fail"), token);
        Response r = trigger(token.secret()).delete("/api/custom/" + route);
        assertError(r, 500, 12).then().body(not(containsString("boom"))); // stderr goes to the log only
    }

    // ---- successful answers ----

    @Test
    void scriptWhenItSetsStatusAndHeadersThenTheyArePassedThroughButOurRequestIdWins() {
        Token token = createToken();
        String route = unique("scr-custom");
        createDefinition(route, "custom", token);
        Response r = trigger(token.secret()).get("/api/custom/" + route);
        r.then().statusCode(201)
                .contentType("text/plain")
                .body(equalTo("created"))
                .header("X-Request-Id", not(equalTo("forged")));
        assertEquals(List.of("one", "two"), r.headers().getValues("X-Custom"));
    }

    @Test
    void scriptWhenItAnswers401ThenTheAnswerNamesTheBearerSchemeAsEvery401Does() {
        Token token = createToken();
        String route = unique("scr-401");
        createDefinition(route, "code401", token);
        Response r = trigger(token.secret()).get("/api/custom/" + route);
        r.then().statusCode(401).body(equalTo("sign in first")).header("WWW-Authenticate", "Bearer");
        Response other = trigger(token.secret()).get("/api/custom/" + unique("scr-405-free"));
        other.then().statusCode(404).header("WWW-Authenticate", org.hamcrest.Matchers.nullValue());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"ok, application/json", "bytes, application/octet-stream"})
    void scriptWhenItSetsNoContentTypeThenTheDefaultOfItsBodyField(String script, String contentType) {
        Token token = createToken();
        String route = unique("scr-type-" + script);
        createDefinition(route, script, token);
        Response r = trigger(token.secret()).get("/api/custom/" + route);
        r.then().statusCode(200);
        assertEquals(contentType, r.contentType());
        if (script.equals("bytes")) {
            assertEquals("hello", r.asString()); // responseBodyBytes decoded
        }
    }
}
