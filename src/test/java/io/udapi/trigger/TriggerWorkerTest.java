package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.hamcrest.Matchers.emptyString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.udapi.trigger.TriggerTestSupport.Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Worker scripts over HTTP (docs/workers.md): both entry points reach one long-running process as one JSON
 * line each, with the docs/scripts.md input, an {@code id} and the {@code entryPoint}; its answer line is the
 * trigger's answer.
 */
@QuarkusTest
@TestProfile(TriggerTestSupport.ScriptsProfile.class)
class TriggerWorkerTest {

    @Test
    void onApiTriggerWhenTheScriptIsAWorkerThenOneProcessGetsEachRequestAsALineAndItsAnswerIsSent() {
        Token token = createToken();
        String route = unique("wrk") + "/{item}";
        createDefinition(route, "worker", token);
        String base = route.replace("{item}", "");

        Response first = trigger(token.secret()).contentType("text/plain").body("first body").post("/api/custom/" + base + "a1");
        Response second = trigger(token.secret()).contentType("text/plain").body("second body").post("/api/custom/" + base + "b2");

        first.then().statusCode(200);
        second.then().statusCode(200);
        assertEquals(first.header("X-Worker-Pid"), second.header("X-Worker-Pid"), "the same process answered both");
        JsonPath line = new JsonPath(second.asString());
        assertEquals("OnApiTrigger", line.getString("entryPoint"));
        assertEquals("second body", line.getString("rawBody"));
        assertEquals("POST", line.getString("requestMethod"));
        assertEquals("b2", line.getString("routeParameters.item"));
        assertEquals(token.id(), line.getString("context.tokenId"));
        // an id is the pool's count and 64 random bits (docs/workers.md): counted up, and unguessable
        String firstId = new JsonPath(first.asString()).getString("id");
        String secondId = line.getString("id");
        assertTrue(firstId.matches("[0-9]+-[0-9a-f]{1,16}") && secondId.matches("[0-9]+-[0-9a-f]{1,16}"), firstId + ", " + secondId);
        assertEquals(Long.parseLong(firstId.split("-")[0]) + 1, Long.parseLong(secondId.split("-")[0]), "ids count up per pool");
        assertNotEquals(firstId.split("-")[1], secondId.split("-")[1], "each id has bits of its own");
    }

    @Test
    void runWhenTheScriptIsAWorkerThenItsParametersArriveInOneLineAnd200IsEmpty() throws Exception {
        Token token = createToken();
        String route = unique("wrk-run");
        createDefinition(route, "AutomationScriptNoEntryPoint", Map.of("scriptName", "run-worker"), token);

        String requestId = trigger(token.secret()).contentType("application/json").body("{\"level\":\"high\",\"n\":7}")
                .post("/api/custom/" + route)
                .then().statusCode(200).body(emptyString()).extract().header("X-Request-Id");

        Path file = TriggerTestSupport.scriptOutput("last-worker-run.json");
        JsonPath line = new JsonPath(Files.readString(file));
        assertEquals("Run", line.getString("entryPoint"));
        assertEquals(Map.of("level", "high", "n", "7"), line.getMap("parameters"));
        assertEquals(requestId, line.getString("requestId"), "the trigger's request id reaches the script");
    }
}
