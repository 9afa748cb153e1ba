package io.udapi.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request body read as the flat parameters of SPEC 2.3: a JSON object whose values are strings,
 * numbers or booleans (numbers and booleans become their JSON text). An empty body gives no parameters.
 */
final class FlatParameters {

    /**
     * Decimals as exact BigDecimals with their scale: doubles would turn {@code 1.50} into {@code 1.5} and
     * {@code 12345678901234567890.5} into {@code 1.2345678901234567E19}, not "their JSON text" (SPEC 2.3).
     * An exponent keeps its value but not its spelling ({@code 1e3} gives {@code 1E+3}).
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /** Either the parameters or why the body is not acceptable; never both. */
    record Parsed(Map<String, String> parameters, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    private FlatParameters() {
    }

    static Parsed parse(byte[] body) {
        if (body.length == 0) {
            return new Parsed(Map.of(), null);
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException | RuntimeException e) {
            return new Parsed(null, "The body is not valid JSON.");
        } catch (java.io.IOException e) {
            return new Parsed(null, "The body could not be read as JSON.");
        }
        if (root == null || root.isMissingNode()) {
            return new Parsed(Map.of(), null); // only whitespace
        }
        if (!root.isObject()) {
            return new Parsed(null, "The body must be a JSON object of parameters.");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isTextual()) {
                parameters.put(field.getKey(), value.textValue());
            } else if (value.isNumber() || value.isBoolean()) {
                parameters.put(field.getKey(), value.toString());
            } else {
                return new Parsed(null, "Parameter '" + field.getKey()
                        + "' must be a string, a number or a boolean, not " + kind(value) + ".");
            }
        }
        return new Parsed(Map.copyOf(parameters), null);
    }

    private static String kind(JsonNode value) {
        if (value.isNull()) {
            return "null";
        }
        return value.isArray() ? "an array" : "an object";
    }
}
