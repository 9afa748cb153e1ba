package io.udapi.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The flat parameters of a {@code Parameters} / {@code NoEntryPoint} body (docs/scripts.md) against arbitrary
 * bytes. Seeds: {@code src/test/resources/io/udapi/trigger/FlatParametersFuzzTestInputs/parse/}.
 *
 * <p>Properties, for every input:
 * <ul>
 *   <li>{@code parse} never throws; it answers either parameters or a refusal, never both, and a refusal
 *       names a problem;</li>
 *   <li>accepted parameters, written back as a JSON object of strings, parse to the same map;</li>
 *   <li>duplicates are always refused: the accepted object with one key repeated (spelled with a
 *       {@code \\uXXXX} escape, so that a textual comparison would not see it) or with content after it is
 *       refused.</li>
 * </ul>
 */
class FlatParametersFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "15s")
    void parse(byte[] body) throws JsonProcessingException {
        FlatParameters.Parsed parsed = FlatParameters.parse(body);
        assertNotNull(parsed);
        if (!parsed.ok()) {
            assertNull(parsed.parameters());
            assertFalse(parsed.problem().isBlank());
            return;
        }
        Map<String, String> parameters = parsed.parameters();
        assertNotNull(parameters);

        // As bytes, the way udapi writes the script input: Jackson escapes a lone surrogate ("\ud800") instead
        // of losing it, as String.getBytes would.
        byte[] bytes = JSON.writeValueAsBytes(parameters);
        String written = new String(bytes, StandardCharsets.UTF_8);
        FlatParameters.Parsed again = FlatParameters.parse(bytes);
        assertTrue(again.ok(), () -> "re-serialised parameters refused: " + again.problem() + " for " + written);
        assertEquals(parameters, again.parameters());

        if (parameters.isEmpty()) {
            return;
        }
        String key = parameters.keySet().iterator().next();
        String duplicated = "{" + escapedKey(key) + ":\"x\"," + written.substring(1);
        FlatParameters.Parsed refused = FlatParameters.parse(duplicated.getBytes(StandardCharsets.UTF_8));
        assertFalse(refused.ok(), () -> "duplicate key accepted: " + duplicated);

        byte[] withTrailing = java.util.Arrays.copyOf(bytes, bytes.length + 2);
        withTrailing[bytes.length] = '{';
        withTrailing[bytes.length + 1] = '}';
        FlatParameters.Parsed trailing = FlatParameters.parse(withTrailing);
        assertFalse(trailing.ok(), () -> "content after the object accepted: " + written + "{}");
    }

    /** The key as a JSON string with every character escaped as {@code \\uXXXX}. */
    private static String escapedKey(String key) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < key.length(); i++) {
            sb.append(String.format("\\u%04x", (int) key.charAt(i)));
        }
        return sb.append('"').toString();
    }
}
