package io.udapi.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * The OnApiTrigger output parser (docs/scripts.md) against arbitrary bytes. Seeds:
 * {@code src/test/resources/io/udapi/script/ScriptOutputFuzzTestInputs/parse/}; docs/fuzzing.md.
 *
 * <p>Properties, for every input:
 * <ul>
 *   <li>{@code parse} returns a value and never throws, from a byte array and from a stream alike, and both
 *       give the same outcome;</li>
 *   <li>a {@code Responded} has a status from 200 to 599, and the output it came from is a JSON object
 *       whose {@code responseCode} is that integer;</li>
 *   <li>13 against 1002 is decided by the type of {@code responseCode} alone: when the output is a
 *       well-formed object (checked by an independent tree parser), a non-number code is never 1002 and a
 *       number is 1002 exactly when it is not an integer from 200 to 599.</li>
 * </ul>
 */
class ScriptOutputFuzzTest {

    private static final ScriptOutputParser PARSER = new ScriptOutputParser(4096);
    /**
     * The reference: a tree parser, strict like the one under test. Fractions are read as doubles, not
     * BigDecimal: {@code 1e9999999999} is well-formed JSON that BigDecimal cannot hold, and in a field the
     * parser ignores it must not make the reference refuse the output. The exact value of the code comes
     * from {@link #exactCode}.
     */
    private static final ObjectMapper TREE = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @FuzzTest(maxDuration = "15s")
    void parse(byte[] output) {
        ScriptResult fromArray;
        ScriptResult fromStream;
        try {
            fromArray = PARSER.parse(output);
            fromStream = PARSER.parse(new ByteArrayInputStream(output));
        } catch (RuntimeException e) {
            throw new AssertionError("parse threw for " + Arrays.toString(Arrays.copyOf(output, Math.min(64, output.length))), e);
        }
        assertNotNull(fromArray);
        assertEquals(kind(fromArray), kind(fromStream), "byte[] and stream disagree");

        if (meantAsUtf8(output) && !validUtf8(output)) {
            // not UTF-8 text, so not JSON text: 13, whatever Jackson's lenient decoding of it would say
            assertEquals(ScriptOutcomeCode.INVALID_OUTPUT, ((ScriptResult.Failure) fromArray).code(),
                    () -> "invalid UTF-8 answered " + fromArray);
            return;
        }
        JsonNode tree = referenceTree(output);
        if (fromArray instanceof ScriptResult.Responded responded) {
            assertTrue(responded.status() >= 200 && responded.status() <= 599, () -> "status " + responded.status());
            assertNotNull(tree, "Responded for output the reference parser refuses");
            JsonNode code = tree.get("responseCode");
            assertTrue(code != null && code.isNumber(), "Responded without a numeric responseCode");
            BigDecimal exact = exactCode(output);
            assertNotNull(exact, "Responded for a responseCode BigDecimal cannot hold");
            assertEquals(0, exact.compareTo(BigDecimal.valueOf(responded.status())));
            return;
        }
        if (tree == null || !tree.isObject()) {
            return; // not an object: any failure code but never a Responded (checked above)
        }
        ScriptResult.Failure failure = (ScriptResult.Failure) fromArray;
        JsonNode code = tree.get("responseCode");
        if (code == null || code.isNull() || !code.isNumber()) {
            if (failure.code() == ScriptOutcomeCode.BAD_STATUS_CODE) {
                fail("1002 for a responseCode that is not a number: " + code);
            }
            if (typesAreRight(tree)) {
                assertEquals(ScriptOutcomeCode.INVALID_OUTPUT, failure.code(), () -> "missing/mistyped code: " + failure);
            }
            return;
        }
        BigDecimal exact = exactCode(output);
        boolean inRange = exact != null && isStatus(exact);
        if (typesAreRight(tree)) {
            if (!inRange) {
                assertEquals(ScriptOutcomeCode.BAD_STATUS_CODE, failure.code(), () -> "code " + code + ": " + failure);
            } else {
                assertTrue(failure.code() != ScriptOutcomeCode.BAD_STATUS_CODE, () -> "1002 for code " + code);
            }
        }
    }

    /** Neither a zero byte first nor a UTF-16 byte-order mark: Jackson would read it as UTF-8. */
    private static boolean meantAsUtf8(byte[] b) {
        if (b.length == 0 || b[0] == 0) {
            return false;
        }
        int b0 = b[0] & 0xFF;
        int b1 = b.length > 1 ? b[1] & 0xFF : 0;
        return !(b0 == 0xFE && b1 == 0xFF) && !(b0 == 0xFF && b1 == 0xFE);
    }

    /** The JDK's strict decoder, a reference independent of udapi's check. */
    private static boolean validUtf8(byte[] b) {
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** An integer from 200 to 599, by a route other than the parser's. */
    private static boolean isStatus(BigDecimal value) {
        if (value.compareTo(BigDecimal.valueOf(200)) < 0 || value.compareTo(BigDecimal.valueOf(599)) > 0) {
            return false;
        }
        return value.remainder(BigDecimal.ONE).signum() == 0;
    }

    /** Whether every field the parser reads before the code rules has its right type. */
    private static boolean typesAreRight(JsonNode tree) {
        for (String field : new String[] {"responseBody", "responseBodyBytes"}) {
            JsonNode v = tree.get(field);
            if (v != null && !v.isNull() && !v.isTextual()) {
                return false;
            }
        }
        JsonNode headers = tree.get("responseHeaders");
        if (headers == null || headers.isNull()) {
            return true;
        }
        if (!headers.isObject()) {
            return false;
        }
        for (JsonNode values : headers) {
            if (values.isTextual()) {
                continue;
            }
            if (!values.isArray()) {
                return false;
            }
            for (JsonNode v : values) {
                if (!v.isTextual()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The exact value of the top-level {@code responseCode}, a number in a well-formed object: its text as
     * a BigDecimal, or null when BigDecimal cannot hold it (an exponent past the int range), which is a
     * number outside 200-599.
     */
    private static BigDecimal exactCode(byte[] output) {
        try (JsonParser p = TREE.getFactory().createParser(output)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("responseCode")) {
                    try {
                        return new BigDecimal(p.getText());
                    } catch (NumberFormatException tooLarge) {
                        return null;
                    }
                }
                p.skipChildren();
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("the reference read this output once already", e);
        }
        throw new AssertionError("no responseCode in an object that has one");
    }

    private static JsonNode referenceTree(byte[] output) {
        try {
            return TREE.readTree(output);
        } catch (Exception e) {
            return null;
        }
    }

    private static String kind(ScriptResult r) {
        return r instanceof ScriptResult.Failure f ? f.code().name() : r.getClass().getSimpleName();
    }
}
