package io.udapi.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.udapi.definition.ApiDefinition;
import io.udapi.route.RouteMatch;
import io.udapi.token.ApiToken;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The input JSON of the {@code OnApiTrigger} contract (docs/scripts.md), built in one pure function. */
final class TriggerInput {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TriggerInput() {
    }

    static byte[] build(String method, String route, RouteMatch<ApiDefinition> match, byte[] body,
                        Map<String, String> parameters, Map<String, List<String>> query, ApiToken token,
                        String requestId, String nodeId) {
        ObjectNode input = JSON.createObjectNode();
        input.put("requestMethod", method);
        input.put("route", route);
        input.put("routeTemplate", match.pattern().template());
        input.put("rawBody", new String(body, StandardCharsets.UTF_8));
        ObjectNode params = input.putObject("parameters");
        parameters.forEach(params::put);
        ObjectNode queryNode = input.putObject("queryParameters");
        query.forEach((key, values) -> values.forEach(queryNode.withArray(key)::add));
        ObjectNode routeParams = input.putObject("routeParameters");
        match.parameters().forEach(routeParams::put);
        ObjectNode context = input.putObject("context");
        context.put("tokenId", token.id());
        context.put("tokenName", token.name());
        context.put("definitionId", match.value().id());
        context.put("requestId", requestId);
        context.put("nodeId", nodeId);
        try {
            return JSON.writeValueAsBytes(input);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the trigger input could not be serialised", e);
        }
    }
}
