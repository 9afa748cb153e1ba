package io.udapi.script;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the OnApiTrigger output of either engine into a {@link ScriptResult} (docs/scripts.md). Thread-safe and
 * allocation-light: a streaming Jackson parser, the base64 body decoded once.
 *
 * <p>Rules, in the order they are applied (the first that fails answers; the order is fixed, so one output
 * always gets one code):
 * <ol>
 * <li>13: the bytes are not one JSON object in an encoding Jackson can read (trailing content, duplicate keys
 * and unsupported UCS-4 byte orders included); {@code responseBody}/{@code responseBodyBytes} not a string;
 * {@code responseHeaders} not an object of string arrays (a bare string counts as one value). {@code null}
 * for an optional field means absent; unknown fields are ignored.</li>
 * <li>13: {@code responseCode} missing, {@code null} or not a JSON number ({@code "200"}, {@code true},
 * an object or an array is a wrongly typed field).</li>
 * <li>1002: {@code responseCode} a number but not an integer from 200 to 599 ({@code 200.0} and
 * {@code 2e2} are the integer 200; {@code 200.5}, {@code 101} and {@code 600} are refused).</li>
 * <li>13: {@code responseBodyBytes} is not valid base64 (checked after the code, whichever field comes
 * first in the output).</li>
 * <li>17: decoded body over {@code maxBodyBytes}. {@code responseBodyBytes} wins over
 * {@code responseBody}.</li>
 * <li>1013 / 1012, per header in order: name not an RFC 9110 token; blocked name (case-insensitive);
 * value with a control character other than tab, or a character outside ISO-8859-1 (HTTP/1.1 cannot carry
 * it unchanged).</li>
 * </ol>
 * Headers whose names differ only in case are merged under the first spelling. Default Content-Type:
 * {@code application/json} for {@code responseBody}, {@code application/octet-stream} for
 * {@code responseBodyBytes}, none when the output has neither. The header rules themselves are
 * {@link ResponseHeaderRules}.
 */
public final class ScriptOutputParser {
    /** docs/configuration.md {@code udapi.limits.max-body-size}. */
    public static final long DEFAULT_MAX_BODY_BYTES = 29L * 1024 * 1024;

    private static final String CONTENT_TYPE = "Content-Type";

    private final long maxBodyBytes;
    private final JsonFactory json;

    /** @param maxBodyBytes largest decoded body, by default {@link #DEFAULT_MAX_BODY_BYTES} */
    public ScriptOutputParser(long maxBodyBytes) {
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must be >= 0: " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
        // The output itself is bounded by the engine (40 MiB); a base64 body of 29 MiB is ~39 M chars,
        // over Jackson's default 20 M string limit.
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Smallest and largest {@code responseCode} (docs/scripts.md): no informational 1xx. */
    static final int MIN_STATUS = 200;
    static final int MAX_STATUS = 599;

    /** @param output the script's stdout or the http engine's 200 body; never throws */
    public ScriptResult parse(byte[] output) {
        if (!Utf8Guard.acceptable(output)) {
            return undecodable();
        }
        try {
            return parse(json.createParser(output));
        } catch (CharConversionException e) {
            // Encoding detection itself can refuse the first bytes (00 01 00 00: "UCS-4 2143").
            return undecodable();
        } catch (IOException e) {
            // No I/O happens on a byte array: anything Jackson reports here is about the content.
            return new ScriptResult.InvalidOutput("not valid JSON");
        }
    }

    /**
     * Same as {@link #parse(byte[])} for output held in chunks; {@code output} is read to its end but not
     * closed. An {@link IOException} of the stream is rethrown unchecked (in-memory streams never throw).
     */
    public ScriptResult parse(InputStream output) {
        try {
            return parse(json.createParser(new Utf8Guard(output)));
        } catch (CharConversionException e) {
            return undecodable();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script output", e);
        }
    }

    private ScriptResult parse(JsonParser parser) throws IOException {
        Raw raw;
        try (JsonParser p = parser) {
            raw = readRaw(p);
        } catch (JsonProcessingException e) {
            // Not e.getMessage(): it quotes the output, which may hold anything the script printed.
            var at = e.getLocation();
            return new ScriptResult.InvalidOutput(at == null ? "not valid JSON"
                    : "not valid JSON at line " + at.getLineNr() + ", column " + at.getColumnNr());
        } catch (CharConversionException e) {
            // Not a JsonProcessingException: Jackson's UTF-32 reader reports a bad code point this way.
            return undecodable();
        } catch (InvalidField e) {
            return new ScriptResult.InvalidOutput(e.getMessage());
        }
        return validate(raw);
    }

    private static ScriptResult undecodable() {
        return new ScriptResult.InvalidOutput("not valid JSON in UTF-8, UTF-16 or UTF-32");
    }

    private ScriptResult validate(Raw raw) {
        if (raw.codeToken == null) {
            return new ScriptResult.InvalidOutput("responseCode is missing");
        }
        if (raw.codeToken != JsonToken.VALUE_NUMBER_INT && raw.codeToken != JsonToken.VALUE_NUMBER_FLOAT) {
            return new ScriptResult.InvalidOutput("responseCode " + raw.codeText + " is not a number");
        }
        Integer status = statusOf(raw.codeNumber);
        if (status == null) {
            return new ScriptResult.BadStatusCode(raw.codeText);
        }

        byte[] body;
        String defaultType;
        if (raw.bodyBase64 != null) {
            try {
                body = decodeBase64(raw.bodyBase64);
            } catch (IllegalArgumentException e) {
                return new ScriptResult.InvalidOutput("responseBodyBytes is not valid base64");
            }
            defaultType = "application/octet-stream";
        } else if (raw.bodyText != null) {
            body = raw.bodyText.getBytes(StandardCharsets.UTF_8);
            defaultType = "application/json";
        } else {
            body = new byte[0];
            defaultType = null;
        }
        if (body.length > maxBodyBytes) {
            return new ScriptResult.OutputTooLarge("response body", maxBodyBytes);
        }

        Map<String, List<String>> headers = new LinkedHashMap<>();
        Map<String, String> spelling = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, List<String>> h : raw.headers.entrySet()) {
            String name = h.getKey();
            if (!ResponseHeaderRules.isToken(name)) {
                return new ScriptResult.InvalidHeader("header name '" + ResponseHeaderRules.escape(name)
                        + "' is not an RFC 9110 token");
            }
            if (ResponseHeaderRules.isBlocked(name)) {
                return new ScriptResult.BlockedHeader(name);
            }
            for (String value : h.getValue()) {
                String problem = ResponseHeaderRules.valueProblem(value);
                if (problem != null) {
                    return new ScriptResult.InvalidHeader("the value of header '" + name + "' " + problem);
                }
            }
            if (!h.getValue().isEmpty()) {
                String first = spelling.computeIfAbsent(name, n -> n);
                headers.computeIfAbsent(first, n -> new ArrayList<>()).addAll(h.getValue());
            }
        }
        if (defaultType != null && !spelling.containsKey(CONTENT_TYPE)) {
            headers.put(CONTENT_TYPE, List.of(defaultType));
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        headers.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new ScriptResult.Responded(status, body, frozen);
    }

    /** @return the status, or null when {@code value} is not an integer from 200 to 599 */
    private static Integer statusOf(BigDecimal value) {
        if (value == null) {
            return null; // a number too large to read
        }
        // Range first: cheap, and it keeps stripTrailingZeros away from values like 1e999999999.
        if (value.compareTo(BigDecimal.valueOf(MIN_STATUS)) < 0 || value.compareTo(BigDecimal.valueOf(MAX_STATUS)) > 0) {
            return null;
        }
        // 200.0 and 2e2 are the integer 200; 200.5 is not an integer.
        if (value.stripTrailingZeros().scale() > 0) {
            return null;
        }
        return value.intValueExact();
    }

    private static byte[] decodeBase64(String text) {
        // Accept line-wrapped base64 (the `base64` tool wraps at 76); anything else outside the
        // standard alphabet is invalid.
        String compact = text;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
                StringBuilder sb = new StringBuilder(text.length());
                for (int j = 0; j < text.length(); j++) {
                    char d = text.charAt(j);
                    if (d != '\n' && d != '\r' && d != ' ' && d != '\t') {
                        sb.append(d);
                    }
                }
                compact = sb.toString();
                break;
            }
        }
        return Base64.getDecoder().decode(compact);
    }

    // ---- streaming read: types only, every semantic rule is applied afterwards in validate() ----

    private static Raw readRaw(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new InvalidField("the output is not a JSON object");
        }
        Raw raw = new Raw();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "responseCode" -> readCode(p, v, raw);
                case "responseBody" -> raw.bodyText = optionalString(p, v, field);
                case "responseBodyBytes" -> raw.bodyBase64 = optionalString(p, v, field);
                case "responseHeaders" -> readHeaders(p, v, raw);
                default -> p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new InvalidField("the output is not a JSON object");
        }
        if (p.nextToken() != null) {
            throw new InvalidField("content follows the JSON object");
        }
        return raw;
    }

    private static void readCode(JsonParser p, JsonToken v, Raw raw) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return; // same as missing: 13
        }
        raw.codeToken = v;
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            raw.codeText = p.getText();
            try {
                raw.codeNumber = p.getDecimalValue();
            } catch (NumberFormatException tooLarge) {
                // an exponent BigDecimal cannot hold (2e2000...0): a number, and far outside 200-599 (1002)
                raw.codeNumber = null;
            }
        } else if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            raw.codeText = v == JsonToken.START_OBJECT ? "{...}" : "[...]";
            p.skipChildren();
        } else if (v == JsonToken.VALUE_STRING) {
            String s = p.getText();
            raw.codeText = "\"" + (s.length() > 20 ? s.substring(0, 20) + "..." : s) + "\"";
        } else {
            raw.codeText = p.getText();
        }
    }

    private static String optionalString(JsonParser p, JsonToken v, String field) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING) {
            throw new InvalidField(field + " is not a string");
        }
        return p.getText();
    }

    private static void readHeaders(JsonParser p, JsonToken v, Raw raw) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return;
        }
        if (v != JsonToken.START_OBJECT) {
            throw new InvalidField("responseHeaders is not an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken hv = p.nextToken();
            List<String> values = new ArrayList<>(1);
            if (hv == JsonToken.VALUE_STRING) {
                values.add(p.getText());
            } else if (hv == JsonToken.START_ARRAY) {
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (e != JsonToken.VALUE_STRING) {
                        throw new InvalidField("a value of responseHeaders." + ResponseHeaderRules.escape(name) + " is not a string");
                    }
                    values.add(p.getText());
                }
            } else {
                throw new InvalidField("responseHeaders." + ResponseHeaderRules.escape(name) + " is not an array of strings");
            }
            raw.headers.put(name, values);
        }
    }

    private static final class Raw {
        JsonToken codeToken;
        BigDecimal codeNumber;
        String codeText;
        String bodyText;
        String bodyBase64;
        final Map<String, List<String>> headers = new LinkedHashMap<>();
    }

    /** A wrongly typed field; internal control flow of {@link #readRaw}, never escapes the parser. */
    private static final class InvalidField extends RuntimeException {
        InvalidField(String message) {
            super(message, null, false, false);
        }
    }
}
