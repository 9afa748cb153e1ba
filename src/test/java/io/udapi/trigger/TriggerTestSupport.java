package io.udapi.trigger;

import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shared helpers of the trigger tests: the two test profiles with their scripts directory, the admin calls
 * that create tokens and definitions, the trigger request, the error-envelope assertion and a raw HTTP/1.1
 * client for requests rest-assured cannot send (no Content-Type with a body, a chunked body, headers only).
 *
 * <p>All test classes share one application per profile, so every name and route is made unique here.
 */
public final class TriggerTestSupport {

    static final String NODE_ID = "test-node";
    static final String ADMIN_USER = "admin";
    static final String ADMIN_PASSWORD = "test-admin-password-0123";
    /** {@code udapi.limits.max-body-size} of {@link ScriptsProfile}: small, so 413 and 500/17 are cheap. */
    static final int MAX_BODY = 4096;

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private TriggerTestSupport() {
    }

    // ---- profiles ----

    /**
     * The test scripts in a new directory, their output directory as the only write path besides {@code /dev},
     * and {@code settings} (name, value, ...).
     */
    private static Map<String, String> withScripts(String... settings) {
        Path scripts = writeScripts();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("udapi.scripts.dir", scripts.toString());
        config.put("udapi.scripts.sandbox.write-paths", "/dev," + outputDirOf(scripts));
        for (int i = 0; i < settings.length; i += 2) {
            config.put(settings[i], settings[i + 1]);
        }
        return config;
    }

    /** The scripts below, a 4 KiB body limit, a generous script timeout. */
    public static class ScriptsProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return withScripts(                    "udapi.limits.max-body-size", "4K",
                    "udapi.limits.body-timeout", "2s",
                    "udapi.script.timeout", "30s");
        }
    }

    /**
     * One script run at a time, no queue, 1 s timeout: for 500/1001 and 503/1006; and one Argon2
     * verification at a time, no queue: for 503/1100.
     */
    public static class TightEngineProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return withScripts(                    "udapi.script.timeout", "1s",
                    "udapi.script.max-concurrency", "1",
                    "udapi.script.max-queue", "0",
                    "udapi.secrets.max-verifications", "1",
                    "udapi.secrets.verification-queue", "0");
        }
    }

    /**
     * A body memory of 8 KiB (twice the 4 KiB body limit, its smallest value): two triggers of 3,000 bytes cannot
     * both hold their bodies and inputs at once. Four run slots and a 30 s timeout, so that the budget, not the
     * engine, refuses.
     */
    public static class BodyMemoryProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return withScripts(                    "udapi.limits.max-body-size", "4K",
                    "udapi.limits.max-body-memory", "8K",
                    "udapi.script.timeout", "30s",
                    "udapi.script.max-concurrency", "4");
        }
    }

    /**
     * Where the spy scripts leave what they saw: beside the scripts directory, not in it, because the script
     * sandbox (on by default) lets scripts read their directory but not write it; the profiles grant this
     * directory as the only write path besides {@code /dev}.
     */
    static Path outputDirOf(Path scriptsDir) {
        return Path.of(scriptsDir + "-out");
    }

    /** A file a spy script of the running profile wrote. */
    static Path scriptOutput(String name) {
        return outputDirOf(Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("udapi.scripts.dir", String.class))).resolve(name);
    }

    /**
     * Writes the test scripts (real {@code #!/bin/sh} executables) into a new temporary directory, and makes
     * its {@link #outputDirOf output directory}.
     */
    static Path writeScripts() {
        Map<String, String> scripts = new LinkedHashMap<>();
        // OnApiTrigger: answers 200 with the input JSON it received as the body (base64 keeps it intact).
        scripts.put("echo", "input=$(base64 | tr -d '\\n')\n"
                + "printf '{\"responseCode\":200,\"responseBodyBytes\":\"%s\",\"responseHeaders\":"
                + "{\"Content-Type\":[\"application/json\"]}}' \"$input\"\n");
        scripts.put("ok", "cat > /dev/null\nprintf '{\"responseCode\":200,\"responseBody\":\"{\\\\\"ok\\\\\":true}\"}'\n");
        scripts.put("bytes", "cat > /dev/null\nprintf '{\"responseCode\":200,\"responseBodyBytes\":\"aGVsbG8=\"}'\n");
        scripts.put("custom", "cat > /dev/null\nprintf '%s' '{\"responseCode\":201,\"responseBody\":\"created\","
                + "\"responseHeaders\":{\"X-Custom\":[\"one\",\"two\"],\"Content-Type\":[\"text/plain\"],"
                + "\"X-Request-Id\":[\"forged\"]}}'\n");
        scripts.put("exit3", "cat > /dev/null\nprintf '{\"responseCode\":200,\"responseBody\":\"fine\"}'\nexit 3\n");
        scripts.put("notjson", "cat > /dev/null\necho 'hello, not JSON'\n");
        scripts.put("nocode", "cat > /dev/null\nprintf '{\"responseBody\":\"no code\"}'\n");
        // a script's own 405: still a rejection in GET /admin/v1/stats, which counts answers by status
        scripts.put("code401", "cat > /dev/null\nprintf '{\"responseCode\":401,\"responseBody\":\"sign in first\"}'\n");
        scripts.put("code405", "cat > /dev/null\nprintf '{\"responseCode\":405,\"responseBody\":\"no\"}'\n");
        scripts.put("code99", "cat > /dev/null\nprintf '{\"responseCode\":99,\"responseBody\":\"x\"}'\n");
        scripts.put("code101", "cat > /dev/null\nprintf '{\"responseCode\":101}'\n");
        scripts.put("code600", "cat > /dev/null\nprintf '{\"responseCode\":600.0}'\n");
        scripts.put("codestring", "cat > /dev/null\nprintf '{\"responseCode\":\"200\"}'\n");
        scripts.put("codetrue", "cat > /dev/null\nprintf '{\"responseCode\":true}'\n");
        // four bytes that Jackson's encoding detection refuses (an unsupported UCS-4 byte order)
        scripts.put("ucs4", "cat > /dev/null\nprintf '\\000\\001\\000\\000'\n");
        scripts.put("bigbody", "cat > /dev/null\nbody=$(head -c 5000 /dev/zero | tr '\\0' 'a')\n"
                + "printf '{\"responseCode\":200,\"responseBody\":\"%s\"}' \"$body\"\n");
        scripts.put("badheader", "cat > /dev/null\nprintf '{\"responseCode\":200,\"responseHeaders\":{\"X Bad\":[\"v\"]}}'\n");
        // sets udapi's own rate-limit headers: they never reach the client (SPEC 2.2)
        scripts.put("ratelimit-forger", "cat > /dev/null\nprintf '{\"responseCode\":200,\"responseHeaders\":"
                + "{\"RateLimit\":[\"forged;r=999\"],\"ratelimit-policy\":[\"forged;q=999\"]}}'\n");
        scripts.put("setcookie", "cat > /dev/null\nprintf '{\"responseCode\":200,\"responseHeaders\":{\"Set-Cookie\":[\"a=b\"]}}'\n");
        // Run: keeps the parameters it was given, for the test to read; declares two parameters.
        scripts.put("run-spy", "cat > '@OUT@/last-run-params.json'\nprintf '%s' \"$UDAPI_REQUEST_ID\" > '@OUT@/last-run-request-id'\nexit 0\n");
        scripts.put("run-declared", "cat > /dev/null\nexit 0\n");
        scripts.put("run-fail", "cat > /dev/null\necho 'boom' >&2\nexit 1\n");
        // Long runs: killed at the timeout. block marks that it started, so a test can wait for it.
        scripts.put("sleep", "cat > /dev/null\nexec sleep 30\n");
        scripts.put("block", "cat > /dev/null\ntouch '@OUT@/block-started'\nexec sleep 30\n");
        // hold marks that it started and answers 200 once the test creates hold-release
        scripts.put("hold", "cat > /dev/null\ntouch '@OUT@/hold-started'\nwhile [ ! -e '@OUT@/hold-release' ]; do sleep 0.02; done\n"
                + "printf '{\"responseCode\":200,\"responseBody\":\"held\"}'\n");
        // Workers (docs/workers.md): started once; "worker" answers with its request line (base64) and pid,
        // "run-worker" keeps the last request line it got.
        scripts.put("worker", "while IFS= read -r line; do\n"
                + "  id=${line#*\\\"id\\\":\\\"}; id=${id%%\\\"*}\n"
                + "  b=$(printf '%s' \"$line\" | base64 | tr -d '\\n')\n"
                + "  printf '{\"id\":\"%s\",\"responseCode\":200,\"responseBodyBytes\":\"%s\","
                + "\"responseHeaders\":{\"X-Worker-Pid\":[\"%s\"]}}\\n' \"$id\" \"$b\" \"$$\"\n"
                + "done\n");
        scripts.put("run-worker", "while IFS= read -r line; do\n"
                + "  id=${line#*\\\"id\\\":\\\"}; id=${id%%\\\"*}\n"
                + "  printf '%s' \"$line\" > '@OUT@/last-worker-run.json'\n"
                + "  printf '{\"id\":\"%s\"}\\n' \"$id\"\n"
                + "done\n");
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target/tmp")).toAbsolutePath(), "udapi-trigger-scripts-");
            Path out = Files.createDirectory(outputDirOf(dir));
            scripts.replaceAll((name, body) -> body.replace("@OUT@", out.toString()));
            Files.writeString(dir.resolve("worker.worker"), "max=1\n");
            Files.writeString(dir.resolve("run-worker.worker"), "");
            for (Map.Entry<String, String> script : scripts.entrySet()) {
                Path file = dir.resolve(script.getKey());
                Files.writeString(file, "#!/bin/sh\n" + script.getValue());
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.writeString(dir.resolve("run-declared.params"), "channel\nlevel\n");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- management API ----

    public record Token(String id, String name, String secret) {
    }

    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    }

    /** A syntactically valid secret (48 characters) that no token has. */
    static String randomSecret() {
        StringBuilder sb = new StringBuilder(48);
        for (int i = 0; i < 48; i++) {
            sb.append(SECRET_CHARS.charAt(RANDOM.nextInt(SECRET_CHARS.length())));
        }
        return sb.toString();
    }

    static RequestSpecification admin() {
        return RestAssured.given().auth().preemptive().basic(ADMIN_USER, ADMIN_PASSWORD).contentType(ContentType.JSON);
    }

    public static Token createToken() {
        return createToken(Map.of());
    }

    /** @param extra further fields of the create body, e.g. {@code rateLimit} or {@code expiresAt} */
    static Token createToken(Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("name", unique("tt"));
        Response r = admin().body(body).post("/admin/v1/tokens");
        r.then().statusCode(201);
        return new Token(r.path("id"), r.path("name"), r.path("secret"));
    }

    static void patchToken(String id, Map<String, Object> patch) {
        admin().body(patch).patch("/admin/v1/tokens/" + id).then().statusCode(200);
    }

    /** An {@code AutomationScript} definition with {@code RawBody} input; returns its id. */
    static String createDefinition(String route, String script, Token... allowed) {
        return createDefinition(route, "AutomationScript", Map.of("scriptName", script), allowed);
    }

    static String createDefinition(String route, String actionType, Map<String, String> actionMeta, Token... allowed) {
        List<String> ids = new ArrayList<>();
        for (Token token : allowed) {
            ids.add(token.id());
        }
        Map<String, Object> body = Map.of("route", route, "allowedTokens", ids, "actionType", actionType,
                "actionMeta", actionMeta);
        Response r = admin().body(body).post("/admin/v1/definitions");
        r.then().statusCode(201);
        return r.path("id");
    }

    // ---- triggers ----

    /**
     * A trigger request. Rest-assured would append {@code ; charset=ISO-8859-1} to a Content-Type without
     * one; switched off so that the media-type tests send exactly what they say. Note: rest-assured sends
     * {@code Content-Type: application/x-www-form-urlencoded} on a POST without a body, which udapi rightly
     * refuses (415); bodyless POSTs in these tests therefore name a type.
     */
    static RequestSpecification trigger(String secret) {
        RequestSpecification spec = RestAssured.given()
                .config(RestAssured.config().encoderConfig(
                        EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .urlEncodingEnabled(false);
        return secret == null ? spec : spec.header("Authorization", "Bearer " + secret);
    }

    /**
     * Asserts the error answer of docs/api.md, "Errors of the trigger path": status, one error with the code, a title and detail, this node as
     * {@code faultingNode}, JSON content type, a request id, and {@code WWW-Authenticate: Bearer} on a 401.
     */
    static Response assertError(Response r, int status, int errorCode) {
        r.then().statusCode(status)
                .contentType("application/json")
                .header("X-Request-Id", not(emptyOrNullString()))
                .body("errors", hasSize(1))
                .body("errors[0].errorCode", equalTo(errorCode))
                .body("errors[0].title", not(emptyOrNullString()))
                .body("errors[0].detail", not(emptyOrNullString()))
                .body("errors[0].faultingNode", equalTo(NODE_ID));
        if (status == 401) {
            r.then().header("WWW-Authenticate", "Bearer");
        }
        return r;
    }

    // ---- raw HTTP/1.1 ----

    /** A response read off the socket; header names lower-cased. */
    record RawResponse(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends {@code head} (request line and headers, CRLF-separated, without the blank line) plus {@code body}
     * bytes to the application port and reads one response. {@code Connection: close} is added.
     */
    static RawResponse raw(String head, byte[] body) {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before it read everything: the answer is still there
            }
            return readResponse(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One HTTP chunk of {@code bytes}, for a chunked body. */
    static byte[] chunk(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static RawResponse readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        byte[] body;
        String length = headers.get("content-length");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(readLine(in).trim(), 16); size > 0;
                 size = Integer.parseInt(readLine(in).trim(), 16)) {
                out.writeBytes(in.readNBytes(size));
                readLine(in);
            }
            body = out.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new RawResponse(status, headers, body);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed in the middle of a line: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    static void assertRawError(RawResponse r, int status, int errorCode) {
        assertEquals(status, r.status(), r::bodyText);
        assertEquals("application/json", r.header("Content-Type"));
        org.junit.jupiter.api.Assertions.assertNotNull(r.header("X-Request-Id"));
        io.restassured.path.json.JsonPath json = new io.restassured.path.json.JsonPath(r.bodyText());
        assertEquals(errorCode, json.getInt("errors[0].errorCode"));
        assertEquals(NODE_ID, json.getString("errors[0].faultingNode"));
    }

    /**
     * The sum of every series of {@code name} (all label values) on the Prometheus page {@code metrics}; fails when
     * the metric is not exported, so a renamed metric cannot read as zero.
     */
    public static double metric(java.net.URL metrics, String name) {
        String text = RestAssured.given().get(metrics).then().statusCode(200).extract().asString();
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(found, name + " is not exported");
        return sum;
    }
}
