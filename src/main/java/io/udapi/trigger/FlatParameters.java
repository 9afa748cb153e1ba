package io.udapi.trigger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request body read as the flat parameters of docs/scripts.md: one JSON object whose values are strings,
 * numbers or booleans (numbers and booleans become their JSON text). An empty or all-whitespace body
 * gives no parameters. Refused (400/10), each with its own message:
 * <ul>
 *   <li>anything that is not one JSON object: invalid JSON, another JSON type, or content after the
 *       object ({@code {"a":1} {"b":2}}, {@code {"a":1}x});</li>
 *   <li>a key that appears twice ({@code {"user":"a","user":"admin"}}): a validator in front of udapi
 *       and the script could otherwise disagree on which value counts;</li>
 *   <li>a {@code null}, array or object value.</li>
 * </ul>
 * A streaming parser, so the refusal comes at the first offending token and no tree is built.
 * Thread-safe.
 */
final class FlatParameters {

    /** Jackson's defaults (1000-digit numbers); the encoding is checked below, and so are duplicates. */
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Either the parameters or why the body is not acceptable; never both. */
    record Parsed(Map<String, String> parameters, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    private FlatParameters() {
    }

    /** Never throws. */
    static Parsed parse(byte[] body) {
        if (body.length == 0) {
            return new Parsed(Map.of(), null);
        }
        if (notUtf8(body)) {
            return refused("The body must be JSON in UTF-8.");
        }
        try (JsonParser p = JSON.createParser(body)) {
            return read(p);
        } catch (JsonProcessingException e) {
            // not e.getMessage(): it quotes the body
            return refused("The body is not valid JSON.");
        } catch (IOException | RuntimeException e) {
            // CharConversionException (bytes in no encoding Jackson reads) and number conversions
            return refused("The body could not be read as JSON.");
        }
    }

    /**
     * Whether the body is JSON in UTF-16 or UTF-32, which Jackson would detect and read (RFC 8259 8.1: JSON
     * exchanged between systems is UTF-8). Those start with a byte-order mark or have a NUL byte among the
     * first four, where UTF-8 JSON has none (its first character is ASCII); the raw body the script also gets
     * is read as UTF-8, and the two would disagree, as would a validator in front of udapi.
     */
    private static boolean notUtf8(byte[] body) {
        if (body.length >= 2 && ((body[0] == (byte) 0xFE && body[1] == (byte) 0xFF)
                || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE))) {
            return true;
        }
        for (int i = 0; i < Math.min(4, body.length); i++) {
            if (body[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static Parsed read(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            return new Parsed(Map.of(), null); // only whitespace
        }
        if (first != JsonToken.START_OBJECT) {
            return refused("The body must be a JSON object of parameters.");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            String text = switch (value) {
                case VALUE_STRING -> p.getText();
                case VALUE_TRUE, VALUE_FALSE -> value.asString();
                // The JSON text of the number, as the client wrote it: 1.50 stays "1.50" (a double would
                // give 1.5), 12345678901234567890.5 keeps every digit, 0.0000001, -0 and 1e3 keep their spelling.
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
                default -> null;
            };
            if (text == null) {
                return refused("Parameter '" + key + "' must be a string, a number or a boolean, not "
                        + kind(value) + ".");
            }
            // A \\uD800-\\uDFFF escape without its other half is no character (RFC 7493 2.1), and Jackson decodes
            // some invalid UTF-8 (a lead byte F5-F7) into such halves: no script could be given it as text.
            if (hasUnpairedSurrogate(key) || hasUnpairedSurrogate(text)) {
                return refused("A parameter name or value is not Unicode text: invalid UTF-8, or an unpaired surrogate "
                        + "escape (\\uD800 to \\uDFFF).");
            }
            if (parameters.putIfAbsent(key, text) != null) {
                return refused("Parameter '" + key + "' appears more than once.");
            }
        }
        if (t != JsonToken.END_OBJECT) {
            return refused("The body is not valid JSON.");
        }
        if (p.nextToken() != null) {
            return refused("The body has content after the JSON object.");
        }
        return new Parsed(Map.copyOf(parameters), null);
    }

    static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static Parsed refused(String problem) {
        return new Parsed(null, problem);
    }

    private static String kind(JsonToken value) {
        return switch (value) {
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            default -> "an object";
        };
    }
}
