package io.udapi.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScriptOutputParserTest {

    /** Small body limit so the size rule is cheap to hit: 10 bytes. */
    private static final ScriptOutputParser SMALL = new ScriptOutputParser(10);
    private static final ScriptOutputParser DEFAULT = new ScriptOutputParser(ScriptOutputParser.DEFAULT_MAX_BODY_BYTES);

    private static ScriptResult parse(ScriptOutputParser parser, String output) {
        return parser.parse(output.getBytes(StandardCharsets.UTF_8));
    }

    private static String withHeader(String name, String valueJson) {
        return "{\"responseCode\":200,\"responseHeaders\":{\"" + name + "\":" + valueJson + "}}";
    }

    static Stream<Arguments> failures() {
        List<Arguments> rows = new ArrayList<>(List.of(
                // 13: not one JSON object
                Arguments.of("plain text", "hello", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("empty output", "", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("array", "[{\"responseCode\":200}]", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("JSON string", "\"ok\"", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("truncated object", "{\"responseCode\":200", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("second value after the object", "{\"responseCode\":200} {}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("log line before the object", "starting\n{\"responseCode\":200}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("duplicate key", "{\"responseCode\":200,\"responseCode\":500}", ScriptOutcomeCode.INVALID_OUTPUT),
                // 13: lacks responseCode
                Arguments.of("missing responseCode", "{\"responseBody\":\"x\"}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("null responseCode", "{\"responseCode\":null}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("responseCode in wrong case", "{\"ResponseCode\":200}", ScriptOutcomeCode.INVALID_OUTPUT),
                // 13: wrongly typed fields
                Arguments.of("responseBody number", "{\"responseCode\":200,\"responseBody\":5}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("responseBody object", "{\"responseCode\":200,\"responseBody\":{}}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("responseBodyBytes array", "{\"responseCode\":200,\"responseBodyBytes\":[1]}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("responseHeaders array", "{\"responseCode\":200,\"responseHeaders\":[]}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("header value number", withHeader("X-A", "5"), ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("header value array of number", withHeader("X-A", "[\"a\",5]"), ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("header value nested array", withHeader("X-A", "[[\"a\"]]"), ScriptOutcomeCode.INVALID_OUTPUT),
                // 13: invalid base64
                Arguments.of("base64 with !", "{\"responseCode\":200,\"responseBodyBytes\":\"aGk!\"}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("base64 single char", "{\"responseCode\":200,\"responseBodyBytes\":\"a\"}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("base64 url alphabet", "{\"responseCode\":200,\"responseBodyBytes\":\"-_-_\"}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("invalid base64 even when responseBody is valid",
                        "{\"responseCode\":200,\"responseBody\":\"ok\",\"responseBodyBytes\":\"%%%%\"}", ScriptOutcomeCode.INVALID_OUTPUT),
                // 1002
                Arguments.of("responseCode 99", "{\"responseCode\":99}", ScriptOutcomeCode.BAD_STATUS_CODE),
                Arguments.of("responseCode 600", "{\"responseCode\":600}", ScriptOutcomeCode.BAD_STATUS_CODE),
                Arguments.of("responseCode 0", "{\"responseCode\":0}", ScriptOutcomeCode.BAD_STATUS_CODE),
                Arguments.of("responseCode -200", "{\"responseCode\":-200}", ScriptOutcomeCode.BAD_STATUS_CODE),
                Arguments.of("responseCode 101 (informational)", "{\"responseCode\":101}", ScriptOutcomeCode.BAD_STATUS_CODE),
                Arguments.of("responseCode 100", "{\"responseCode\":100}", ScriptOutcomeCode.BAD_STATUS_CODE),
                Arguments.of("responseCode 199", "{\"responseCode\":199}", ScriptOutcomeCode.BAD_STATUS_CODE),
                Arguments.of("responseCode 199.0", "{\"responseCode\":199.0}", ScriptOutcomeCode.BAD_STATUS_CODE),
                Arguments.of("responseCode 600.0", "{\"responseCode\":600.0}", ScriptOutcomeCode.BAD_STATUS_CODE),
                Arguments.of("responseCode 200.5", "{\"responseCode\":200.5}", ScriptOutcomeCode.BAD_STATUS_CODE),
                // 1e3 is the integer 1000: out of range
                Arguments.of("responseCode 1e3", "{\"responseCode\":1e3}", ScriptOutcomeCode.BAD_STATUS_CODE),
                Arguments.of("responseCode huge", "{\"responseCode\":99999999999999999999999}", ScriptOutcomeCode.BAD_STATUS_CODE),
                // 13: a responseCode that is not a JSON number is a wrongly typed field, not a bad code
                Arguments.of("responseCode string \"200\"", "{\"responseCode\":\"200\"}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("responseCode true", "{\"responseCode\":true}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("responseCode false", "{\"responseCode\":false}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("responseCode object", "{\"responseCode\":{\"v\":200}}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("responseCode array", "{\"responseCode\":[200]}", ScriptOutcomeCode.INVALID_OUTPUT),
                // order: responseCode (1002) is checked before the base64 body (13)
                Arguments.of("1002 before invalid base64", "{\"responseBodyBytes\":\"%%%%\",\"responseCode\":99}",
                        ScriptOutcomeCode.BAD_STATUS_CODE),
                Arguments.of("mistyped responseCode (13) before invalid base64",
                        "{\"responseCode\":\"x\",\"responseBodyBytes\":\"%%%%\"}", ScriptOutcomeCode.INVALID_OUTPUT),
                // precedence: a wrongly typed field (13) beats a bad code (1002), a bad code beats headers
                Arguments.of("13 before 1002", "{\"responseCode\":99,\"responseBody\":5}", ScriptOutcomeCode.INVALID_OUTPUT),
                Arguments.of("1002 before 1012", "{\"responseCode\":99,\"responseHeaders\":{\"Vary\":[\"x\"]}}", ScriptOutcomeCode.BAD_STATUS_CODE),
                // 17 with a 10-byte limit
                Arguments.of("responseBody 11 bytes", "{\"responseCode\":200,\"responseBody\":\"12345678901\"}", ScriptOutcomeCode.OUTPUT_TOO_LARGE),
                // 6 x 'é' is 6 characters but 12 UTF-8 bytes
                Arguments.of("responseBody counted in UTF-8 bytes", "{\"responseCode\":200,\"responseBody\":\"éééééé\"}", ScriptOutcomeCode.OUTPUT_TOO_LARGE),
                Arguments.of("decoded responseBodyBytes 11 bytes", "{\"responseCode\":200,\"responseBodyBytes\":\""
                        + Base64.getEncoder().encodeToString(new byte[11]) + "\"}", ScriptOutcomeCode.OUTPUT_TOO_LARGE),
                // responseBodyBytes wins: a small decoded body is fine even though responseBody is too large
                // (checked in a success test); the reverse must fail:
                Arguments.of("base64 wins, and it is too large", "{\"responseCode\":200,\"responseBody\":\"a\",\"responseBodyBytes\":\""
                        + Base64.getEncoder().encodeToString(new byte[11]) + "\"}", ScriptOutcomeCode.OUTPUT_TOO_LARGE),
                // 1013: names
                Arguments.of("header name with space", withHeader("X A", "[\"v\"]"), ScriptOutcomeCode.INVALID_HEADER),
                Arguments.of("header name with colon", withHeader("X-A:", "[\"v\"]"), ScriptOutcomeCode.INVALID_HEADER),
                Arguments.of("header name with comma", withHeader("X,A", "[\"v\"]"), ScriptOutcomeCode.INVALID_HEADER),
                Arguments.of("header name empty", withHeader("", "[\"v\"]"), ScriptOutcomeCode.INVALID_HEADER),
                Arguments.of("header name with slash", withHeader("X/A", "[\"v\"]"), ScriptOutcomeCode.INVALID_HEADER),
                Arguments.of("header name with newline", withHeader("X-A\\nSet-Cookie", "[\"v\"]"), ScriptOutcomeCode.INVALID_HEADER),
                Arguments.of("header name non-ASCII", withHeader("X-Ä", "[\"v\"]"), ScriptOutcomeCode.INVALID_HEADER),
                // 1013: values
                Arguments.of("header value with LF", withHeader("X-A", "[\"a\\nb\"]"), ScriptOutcomeCode.INVALID_HEADER),
                Arguments.of("header value with CR", withHeader("X-A", "[\"a\\rb\"]"), ScriptOutcomeCode.INVALID_HEADER),
                Arguments.of("header value with NUL", withHeader("X-A", "[\"a\\u0000b\"]"), ScriptOutcomeCode.INVALID_HEADER),
                Arguments.of("header value with DEL", withHeader("X-A", "[\"a\\u007fb\"]"), ScriptOutcomeCode.INVALID_HEADER),
                Arguments.of("header value with C1 NEL", withHeader("X-A", "[\"a\\u0085b\"]"), ScriptOutcomeCode.INVALID_HEADER),
                Arguments.of("header value outside ISO-8859-1", withHeader("X-A", "[\"中\"]"), ScriptOutcomeCode.INVALID_HEADER),
                Arguments.of("second value bad", withHeader("X-A", "[\"ok\",\"a\\nb\"]"), ScriptOutcomeCode.INVALID_HEADER)));
        for (String blocked : List.of("Access-Control-Allow-Origin", "access-control-allow-credentials",
                "ACCESS-CONTROL-MAX-AGE", "Access-Control-Anything", "Vary", "Content-Length", "Date", "Set-Cookie",
                "WWW-Authenticate", "Proxy-Authenticate", "Strict-Transport-Security", "Transfer-Encoding",
                "Connection", "Upgrade", "Trailer", "TE", "te", "Via", "Server", "sErVeR", "set-cookie")) {
            rows.add(Arguments.of("blocked " + blocked, withHeader(blocked, "[\"v\"]"), ScriptOutcomeCode.BLOCKED_HEADER));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("failures")
    void parseWhenOutputBreaksARuleThenAnswersItsCode(String name, String output, ScriptOutcomeCode expected) {
        ScriptResult result = parse(SMALL, output);
        ScriptResult.Failure failure = assertInstanceOf(ScriptResult.Failure.class, result, name + ": " + result);
        assertEquals(expected, failure.code(), name + ": " + result);
    }

    /** A fuzz finding: an exponent too large for BigDecimal made the parser throw (a 500/8). */
    @Test
    void parseWhenTheCodeHasAnExponentTooLargeToReadThenBadStatusCode() {
        ScriptResult r = parse(DEFAULT, "{\"responseCode\":2e2" + "0".repeat(60) + "}");
        org.junit.jupiter.api.Assertions.assertInstanceOf(ScriptResult.BadStatusCode.class, r);
        org.junit.jupiter.api.Assertions.assertInstanceOf(ScriptResult.BadStatusCode.class,
                parse(DEFAULT, "{\"responseCode\":-1e" + "9".repeat(40) + "}"));
    }

    /**
     * A fuzz finding of a wrong property: {@code 2e24000000000} is well-formed JSON that no BigDecimal holds; in a
     * field the parser ignores it leaves the output valid (the fuzz test's reference had refused it).
     */
    @Test
    void parseWhenAnIgnoredFieldHoldsAnExponentNoBigDecimalHoldsThenTheOutputStands() {
        ScriptResult r = parse(DEFAULT, "{\"responseCode\":200,\"resp\":2e240000000000}");
        assertEquals(200, org.junit.jupiter.api.Assertions.assertInstanceOf(ScriptResult.Responded.class, r).status());
        org.junit.jupiter.api.Assertions.assertInstanceOf(ScriptResult.Responded.class,
                parse(DEFAULT, "{\"x\":[1e-9999999999],\"responseCode\":201}"));
    }

    /** A fuzz finding: an FF byte in a field name the parser skips passed as JSON; it is no UTF-8 text. */
    @Test
    void parseWhenOutputIsNotValidUtf8ThenInvalidOutputFromBytesAndFromAStream() {
        byte[] found = java.util.Base64.getDecoder().decode("eyJyZXNwb25zZUNvZGUiOjIwMCwicmVzcG9uc2VIZWFk/3JzIjp7IlNldC1Db29raWUiOlsiYT0iXX19");
        byte[] overlong = "{\"responseCode\":200,\"x\":\"\u0000\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        overlong[overlong.length - 3] = (byte) 0xC0; // C0 80: an overlong NUL
        overlong[overlong.length - 2] = (byte) 0x80;
        for (byte[] output : java.util.List.of(found, overlong, new byte[] {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'})) {
            org.junit.jupiter.api.Assertions.assertInstanceOf(ScriptResult.InvalidOutput.class, DEFAULT.parse(output));
            org.junit.jupiter.api.Assertions.assertInstanceOf(ScriptResult.InvalidOutput.class,
                    DEFAULT.parse(new java.io.ByteArrayInputStream(output)));
        }
        byte[] accented = "{\"responseCode\":200,\"responseBody\":\"caf\u00e9 \ud83d\ude00\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertInstanceOf(ScriptResult.Responded.class, DEFAULT.parse(accented));
        org.junit.jupiter.api.Assertions.assertInstanceOf(ScriptResult.Responded.class,
                DEFAULT.parse(new java.io.ByteArrayInputStream(accented)));
        byte[] utf16 = "{\"responseCode\":200}".getBytes(java.nio.charset.StandardCharsets.UTF_16BE);
        org.junit.jupiter.api.Assertions.assertInstanceOf(ScriptResult.Responded.class, DEFAULT.parse(utf16),
                "UTF-16 output is still decoded by Jackson");
    }

    @Test
    void parseWhenHeaderIsBlockedThenNamesItAsTheScriptSpelledIt() {
        assertEquals(new ScriptResult.BlockedHeader("set-Cookie"), parse(DEFAULT, withHeader("set-Cookie", "[\"a=b\"]")));
    }

    @Test
    void parseWhenNotJsonThenDetailDoesNotQuoteTheOutput() {
        ScriptResult.InvalidOutput r = (ScriptResult.InvalidOutput) parse(DEFAULT, "password=hunter2");
        assertTrue(!r.detail().contains("hunter2") && r.detail().contains("line 1"), r.detail());
    }

    @Test
    void parseWhenStatusOnlyThenRespondsWithEmptyBodyAndNoContentType() {
        ScriptResult.Responded r = (ScriptResult.Responded) parse(DEFAULT, "{\"responseCode\":204}");
        assertEquals(204, r.status());
        assertEquals(0, r.body().length);
        assertEquals(Map.of(), r.headers());
    }

    @Test
    void parseWhenResponseBodyThenDefaultsToApplicationJson() {
        ScriptResult.Responded r = (ScriptResult.Responded) parse(DEFAULT,
                "{\"responseCode\":200,\"responseBody\":\"{\\\"a\\\":1}\",\"responseHeaders\":{\"X-Name\":[\"v1\",\"v2\"]}}");
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), r.body());
        assertEquals(Map.of("Content-Type", List.of("application/json"), "X-Name", List.of("v1", "v2")), r.headers());
    }

    @Test
    void parseWhenResponseBodyBytesThenDecodesAndDefaultsToOctetStream() {
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        ScriptResult.Responded r = (ScriptResult.Responded) parse(DEFAULT,
                "{\"responseCode\":200,\"responseBodyBytes\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}");
        assertArrayEquals(bytes, r.body());
        assertEquals(Map.of("Content-Type", List.of("application/octet-stream")), r.headers());
    }

    @Test
    void parseWhenBothBodiesThenBase64WinsEvenIfResponseBodyIsOverTheLimit() {
        ScriptResult.Responded r = (ScriptResult.Responded) parse(SMALL,
                "{\"responseCode\":200,\"responseBody\":\"this text is far over ten bytes\",\"responseBodyBytes\":\"aGk=\"}");
        assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), r.body());
        assertEquals(List.of("application/octet-stream"), r.headers().get("Content-Type"));
    }

    @Test
    void parseWhenBodyExactlyAtLimitThenResponds() {
        assertInstanceOf(ScriptResult.Responded.class, parse(SMALL, "{\"responseCode\":200,\"responseBody\":\"1234567890\"}"));
    }

    @Test
    void parseWhenScriptSetsContentTypeInAnyCaseThenNoDefaultIsAdded() {
        ScriptResult.Responded r = (ScriptResult.Responded) parse(DEFAULT,
                "{\"responseCode\":200,\"responseBody\":\"hi\",\"responseHeaders\":{\"content-type\":[\"text/plain; charset=utf-8\"]}}");
        assertEquals(Map.of("content-type", List.of("text/plain; charset=utf-8")), r.headers());
    }

    @Test
    void parseWhenValueHasTabOrLatin1ThenAccepted() {
        ScriptResult.Responded r = (ScriptResult.Responded) parse(DEFAULT, withHeader("X-Tab", "[\"a\\tb\", \"café\"]"));
        assertEquals(List.of("a\tb", "café"), r.headers().get("X-Tab"));
    }

    @Test
    void parseWhenHeaderValueIsOneStringThenItIsOneValue() {
        ScriptResult.Responded r = (ScriptResult.Responded) parse(DEFAULT, withHeader("X-One", "\"v\""));
        assertEquals(List.of("v"), r.headers().get("X-One"));
    }

    @Test
    void parseWhenNamesDifferOnlyInCaseThenValuesMergeUnderTheFirst() {
        ScriptResult.Responded r = (ScriptResult.Responded) parse(DEFAULT,
                "{\"responseCode\":200,\"responseHeaders\":{\"X-A\":[\"1\"],\"x-a\":[\"2\"],\"X-Empty\":[]}}");
        assertEquals(Map.of("X-A", List.of("1", "2")), r.headers());
    }

    @Test
    void parseWhenTokenHasEverySpecialTcharThenAccepted() {
        assertInstanceOf(ScriptResult.Responded.class, parse(DEFAULT, withHeader("!#$%&'*+-.^_`|~09azAZ", "[\"v\"]")));
    }

    @Test
    void parseWhenCodeIsIntegralInAnyNotationThenAccepted() {
        // 200.0 and 2e2 are the integer 200 written as JSON numbers; 200 and 599 are the bounds.
        assertEquals(200, ((ScriptResult.Responded) parse(DEFAULT, "{\"responseCode\":200.0}")).status());
        assertEquals(200, ((ScriptResult.Responded) parse(DEFAULT, "{\"responseCode\":2e2}")).status());
        assertEquals(200, ((ScriptResult.Responded) parse(DEFAULT, "{\"responseCode\":200}")).status());
        assertEquals(599, ((ScriptResult.Responded) parse(DEFAULT, "{\"responseCode\":5.99e2}")).status());
        assertEquals(599, ((ScriptResult.Responded) parse(DEFAULT, "{\"responseCode\":599}")).status());
    }

    @Test
    void parseWhenUnknownFieldsAndNullOptionalsThenIgnored() {
        ScriptResult.Responded r = (ScriptResult.Responded) parse(DEFAULT,
                "{\"extra\":{\"deep\":[1,2,{\"x\":null}]},\"responseCode\":201,\"responseBody\":null,"
                        + "\"responseBodyBytes\":null,\"responseHeaders\":null}");
        assertEquals(201, r.status());
        assertEquals(Map.of(), r.headers());
    }

    @Test
    void parseWhenBase64IsLineWrappedThenDecoded() {
        byte[] bytes = new byte[200];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        String wrapped = Base64.getMimeEncoder().encodeToString(bytes).replace("\r\n", "\\n");
        ScriptResult.Responded r = (ScriptResult.Responded) parse(DEFAULT,
                "{\"responseCode\":200,\"responseBodyBytes\":\"" + wrapped + "\"}");
        assertArrayEquals(bytes, r.body());
    }

    @Test
    void parseWhenBodyIsLongerThanJacksonsDefaultStringLimitThenStillParsed() {
        // Jackson refuses strings over 20 M characters by default; a 29 MiB body's base64 is ~39 M.
        byte[] body = new byte[16 * 1024 * 1024];
        String b64 = Base64.getEncoder().encodeToString(body); // ~22.4 M characters
        ScriptResult.Responded r = (ScriptResult.Responded) parse(DEFAULT,
                "{\"responseCode\":200,\"responseBodyBytes\":\"" + b64 + "\"}");
        assertEquals(body.length, r.body().length);
    }

    /**
     * {@code 00 01 00 00} makes Jackson's encoding detection guess an unsupported UCS-4 byte order and throw
     * a plain {@link java.io.CharConversionException} (not a JSON error): it used to escape as 500/8.
     */
    @Test
    void parseWhenBytesHaveAnUnsupportedUcs4ByteOrderThenInvalidOutput() {
        for (byte[] bytes : List.of(new byte[] {0, 1, 0, 0}, new byte[] {0, 0, 1, 0}, new byte[] {0, 0, 0, 0x7b})) {
            ScriptResult fromArray = DEFAULT.parse(bytes);
            ScriptResult fromStream = DEFAULT.parse(new java.io.ByteArrayInputStream(bytes));
            assertEquals(ScriptOutcomeCode.INVALID_OUTPUT, ((ScriptResult.Failure) fromArray).code(), fromArray::toString);
            assertEquals(ScriptOutcomeCode.INVALID_OUTPUT, ((ScriptResult.Failure) fromStream).code(), fromStream::toString);
        }
    }

    @Test
    void parseWhenUtf32OutputHasAnInvalidCodePointThenInvalidOutput() {
        // UTF-32BE "{" followed by a code point above U+10FFFF
        byte[] bytes = {0, 0, 0, 0x7b, 0x7f, 0x7f, 0x7f, 0x7f};
        assertEquals(ScriptOutcomeCode.INVALID_OUTPUT, ((ScriptResult.Failure) DEFAULT.parse(bytes)).code());
    }

    @Test
    void parseWhenCodeIsOutOfRangeThenDetailNamesTheRange() {
        ScriptResult.BadStatusCode r = (ScriptResult.BadStatusCode) parse(DEFAULT, "{\"responseCode\":101}");
        assertEquals("responseCode 101 is not an integer from 200 to 599.", r.detail());
    }
}
