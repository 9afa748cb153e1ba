package io.udapi.trigger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.udapi.definition.ApiDefinition;
import io.udapi.route.RouteMatch;
import io.udapi.token.ApiToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The input JSON of the {@code OnApiTrigger} contract (docs/scripts.md), built in one pure function. Written
 * straight to bytes by a generator: building a tree first and serialising it was 8 % of an admitted trigger's
 * Java samples (bench/RESULTS.md §11). Every name is written as given, so a query parameter called
 * {@code /a/b} stays one key.
 */
final class TriggerInput {

    private static final JsonFactory JSON = new JsonFactory();

    private TriggerInput() {
    }

    static byte[] build(String method, String route, RouteMatch<ApiDefinition> match, byte[] body,
                        Map<String, String> parameters, Map<String, List<String>> query, ApiToken token,
                        String requestId, String nodeId) {
        ByteArrayBuilder out = new ByteArrayBuilder(512 + body.length + body.length / 8);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("requestMethod", method);
            json.writeStringField("route", route);
            json.writeStringField("routeTemplate", match.pattern().template());
            json.writeStringField("rawBody", new String(body, StandardCharsets.UTF_8));
            writeStrings(json, "parameters", parameters);
            json.writeObjectFieldStart("queryParameters");
            for (Map.Entry<String, List<String>> key : query.entrySet()) {
                json.writeArrayFieldStart(key.getKey());
                for (String value : key.getValue()) {
                    json.writeString(value);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
            writeStrings(json, "routeParameters", match.parameters());
            json.writeObjectFieldStart("context");
            json.writeStringField("tokenId", token.id());
            json.writeStringField("tokenName", token.name());
            json.writeStringField("definitionId", match.value().id());
            json.writeStringField("requestId", requestId);
            json.writeStringField("nodeId", nodeId);
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("the trigger input could not be written to memory", e);
        }
        return out.toByteArray();
    }

    private static void writeStrings(JsonGenerator json, String name, Map<String, String> values) throws IOException {
        json.writeObjectFieldStart(name);
        for (Map.Entry<String, String> value : values.entrySet()) {
            json.writeStringField(value.getKey(), value.getValue());
        }
        json.writeEndObject();
    }
}
