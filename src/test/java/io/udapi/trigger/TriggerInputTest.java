package io.udapi.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udapi.audit.Stamp;
import io.udapi.definition.ActionMeta;
import io.udapi.definition.ActionType;
import io.udapi.definition.ApiDefinition;
import io.udapi.definition.InputType;
import io.udapi.route.RouteMatch;
import io.udapi.route.RoutePattern;
import io.udapi.token.ApiToken;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The OnApiTrigger input as bytes: the contract of docs/scripts.md, field by field. */
class TriggerInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Stamp STAMP = Stamp.created("admin", Instant.parse("2026-12-07T00:00:00Z"));
    private static final ApiToken TOKEN = new ApiToken("tok-id", "ci-bot", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
            7, "abcd", false, null, null, STAMP, 1);
    private static final ApiDefinition DEFINITION = new ApiDefinition("def-id", "Tickets", "", "tickets/{id}/status",
            Set.of("tok-id"), ActionType.AutomationScript, new ActionMeta("status", InputType.RawBody), STAMP, 1);

    private static RouteMatch<ApiDefinition> match(Map<String, String> parameters) {
        return new RouteMatch<>(DEFINITION, RoutePattern.of("tickets/{id}/status"), parameters);
    }

    @Test
    void everyFieldOfTheContractIsWrittenWithItsValue() throws Exception {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("a", List.of("1", "2"));
        query.put("flag", List.of(""));
        byte[] input = TriggerInput.build("POST", "tickets/4 2é/status", match(Map.of("id", "4 2é")),
                "{\"k\": \"v\"}".getBytes(StandardCharsets.UTF_8), Map.of("p", "q"), query, TOKEN, "req-1", "node-a");

        JsonNode expected = JSON.readTree("""
                {"requestMethod":"POST","route":"tickets/4 2é/status","routeTemplate":"tickets/{id}/status",
                 "rawBody":"{\\"k\\": \\"v\\"}","parameters":{"p":"q"},"queryParameters":{"a":["1","2"],"flag":[""]},
                 "routeParameters":{"id":"4 2é"},
                 "context":{"tokenId":"tok-id","tokenName":"ci-bot","definitionId":"def-id","requestId":"req-1",
                            "nodeId":"node-a"}}""");
        assertEquals(expected, JSON.readTree(input));
        assertEquals(List.of("requestMethod", "route", "routeTemplate", "rawBody", "parameters", "queryParameters",
                "routeParameters", "context"), fieldNames(JSON.readTree(input)), "the documented order");
    }

    @Test
    void namesThatLookLikeJsonPointersStayOneKey() throws Exception {
        byte[] input = TriggerInput.build("GET", "r", match(Map.of()), new byte[0], Map.of("/x/y", "1"),
                Map.of("/a/b", List.of("v")), TOKEN, "req-2", "node-a");

        JsonNode read = JSON.readTree(input);
        assertEquals(List.of("v"), List.of(read.path("queryParameters").path("/a/b").path(0).asText()));
        assertEquals("1", read.path("parameters").path("/x/y").asText());
        assertEquals(1, read.path("queryParameters").size());
    }

    @Test
    void aBodyThatIsNotUtf8BecomesReplacementCharactersAndControlCharactersAreEscaped() throws Exception {
        byte[] body = {'o', 'k', (byte) 0xff, '\n', 0x01, '"'};
        byte[] input = TriggerInput.build("PUT", "r", match(Map.of()), body, Map.of(), Map.of(), TOKEN, "req-3", "n");

        assertEquals("ok\uFFFD\n\u0001\"", JSON.readTree(input).path("rawBody").asText());
        String text = new String(input, StandardCharsets.UTF_8);
        assertEquals(true, text.contains("\\n\\u0001\\\""), text);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
