package io.udapi.script;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The line protocol between udapi and a worker script (docs/workers.md): one JSON object per line each
 * way, matched by {@code id}. A request is the docs/scripts.md input with {@code id} and {@code entryPoint} put
 * first (so a shell worker finds its id with a parameter expansion, no JSON parser); a Run request is
 * {@code {"id","entryPoint":"Run","parameters":{...},"requestId"}}. An answer is the docs/scripts.md output object with the
 * request's {@code id}; a Run answer is {@code {"id"}}, or {@code {"id","error":"..."}} for a failed run.
 */
final class WorkerLines {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] ON_API_TRIGGER = "\",\"entryPoint\":\"OnApiTrigger\"".getBytes(StandardCharsets.US_ASCII);

    private WorkerLines() {
    }

    /** The request line for an OnApiTrigger input (a JSON object as udapi writes it), newline included. */
    static byte[] onApiTrigger(String id, byte[] inputJson) throws IOException {
        byte[] input = inputJson;
        int open = firstNonBlank(input);
        if (open < 0 || input[open] != '{' || contains(input, (byte) '\n')) {
            // not udapi's compact form: one line through Jackson (JSON text never needs a raw newline)
            input = MAPPER.writeValueAsBytes(MAPPER.readTree(input));
            open = 0;
        }
        int rest = firstNonBlank(input, open + 1);
        boolean empty = rest >= 0 && input[rest] == '}';
        ByteArrayOutputStream line = new ByteArrayOutputStream(input.length + 64);
        line.write('{');
        line.writeBytes(("\"id\":\"" + id).getBytes(StandardCharsets.US_ASCII));
        line.writeBytes(ON_API_TRIGGER);
        if (!empty) {
            line.write(',');
        }
        line.write(input, open + 1, input.length - open - 1);
        line.write('\n');
        return line.toByteArray();
    }

    /** The request line for a Run, newline included. */
    static byte[] run(String id, Map<String, String> parameters, String requestId) throws IOException {
        return (("{\"id\":\"" + id + "\",\"entryPoint\":\"Run\",\"parameters\":")
                + MAPPER.writeValueAsString(parameters)
                + (requestId == null ? "" : ",\"requestId\":" + MAPPER.writeValueAsString(requestId))
                + "}\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The top-level string {@code id} of an answer line, or null when the line has none or is not JSON. */
    static String id(byte[] line) {
        return topLevelString(line, "id");
    }

    /** The {@code error} of a Run answer, or null when the run succeeded. */
    static String runError(byte[] line) {
        return topLevelString(line, "error");
    }

    private static String topLevelString(byte[] line, String field) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(field) && value == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Reads newline-terminated lines of at most {@code maxBytes} (the output limit of docs/scripts.md, per answer).
     * Not thread-safe: one reader thread per worker.
     */
    static final class Reader {
        /** What {@link #next} returns when a line passed the limit; the rest of the stream is not read. */
        static final byte[] TOO_LONG = new byte[0];

        private final InputStream in;
        private final long maxBytes;
        private final byte[] buffer = new byte[64 * 1024];
        private int pos;
        private int end;

        Reader(InputStream in, long maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        /** The next line without its newline; null at the end of the stream; {@link #TOO_LONG} past the limit. */
        byte[] next() throws IOException {
            ByteArrayOutputStream line = null;
            while (true) {
                if (pos == end) {
                    end = in.read(buffer);
                    pos = 0;
                    if (end <= 0) {
                        end = 0;
                        return null; // a line cut off by the worker's end is no answer
                    }
                }
                int nl = -1;
                for (int i = pos; i < end; i++) {
                    if (buffer[i] == '\n') {
                        nl = i;
                        break;
                    }
                }
                int stop = nl < 0 ? end : nl;
                long size = (line == null ? 0 : line.size()) + (stop - pos);
                if (size > maxBytes) {
                    return TOO_LONG;
                }
                if (nl >= 0 && line == null) {
                    byte[] out = java.util.Arrays.copyOfRange(buffer, pos, nl);
                    pos = nl + 1;
                    return out;
                }
                if (line == null) {
                    line = new ByteArrayOutputStream(Math.max(256, stop - pos) * 2);
                }
                line.write(buffer, pos, stop - pos);
                pos = nl < 0 ? end : nl + 1;
                if (nl >= 0) {
                    return line.toByteArray();
                }
            }
        }
    }

    private static int firstNonBlank(byte[] b) {
        return firstNonBlank(b, 0);
    }

    private static int firstNonBlank(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean contains(byte[] b, byte x) {
        for (byte v : b) {
            if (v == x) {
                return true;
            }
        }
        return false;
    }
}
