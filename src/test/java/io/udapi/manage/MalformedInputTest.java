package io.udapi.manage;

import static io.udapi.manage.AdminApi.DEFINITIONS;
import static io.udapi.manage.AdminApi.TOKENS;
import static io.udapi.manage.AdminApi.USERS;
import static io.udapi.manage.AdminApi.asAdmin;
import static io.udapi.manage.AdminApi.createUser;
import static io.udapi.manage.AdminApi.newDefinition;
import static io.udapi.manage.AdminApi.newToken;
import static io.udapi.manage.AdminApi.problem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import io.restassured.response.Response;
import io.udapi.user.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies that are not what an endpoint reads: every write endpoint answers 400 {@code MalformedRequest}
 * (413 for an oversized body), never a 500 (docs/api.md: bad JSON, unknown field, wrong type).
 * Bodies are written with {@code '} for {@code "} to stay readable.
 */
@QuarkusTest
class MalformedInputTest {

    /** Every management endpoint that reads a body; paths with an id point at one fixture per endpoint. */
    enum WriteEndpoint {
        CREATE_TOKEN("POST", () -> TOKENS),
        PATCH_TOKEN("PATCH", () -> TOKENS + "/" + Fixtures.token()),
        ROTATE_TOKEN("POST", () -> TOKENS + "/" + Fixtures.token() + "/rotate"),
        REVOKE_TOKENS("POST", () -> TOKENS + "/revoke"),
        CREATE_DEFINITION("POST", () -> DEFINITIONS),
        PATCH_DEFINITION("PATCH", () -> DEFINITIONS + "/" + Fixtures.definition()),
        CREATE_USER("POST", () -> USERS),
        PATCH_USER("PATCH", () -> USERS + "/" + Fixtures.user());

        final String method;
        final Supplier<String> path;

        WriteEndpoint(String method, Supplier<String> path) {
            this.method = method;
            this.path = path;
        }

        Response send(String body) {
            return asAdmin().body(body).request(method, path.get());
        }

    }

    /** Created on first use, once the application runs; never changed by these tests (all are refused). */
    static final class Fixtures {
        private static String token;
        private static String definition;
        private static String user;

        static synchronized String token() {
            return token != null ? token : (token = newToken());
        }

        static synchronized String definition() {
            return definition != null ? definition : (definition = newDefinition());
        }

        static synchronized String user() {
            return user != null ? user : (user = createUser(Permission.TOKENS_READ));
        }
    }

    /** Bodies that no endpoint accepts. */
    private static final List<Arguments> ANY_ENDPOINT = List.of(
            Arguments.of("invalid JSON", "{'name': "),
            Arguments.of("a JSON array", "[{'name': 'x'}]"),
            Arguments.of("a JSON string", "'name'"),
            Arguments.of("a JSON number", "42"),
            Arguments.of("JSON true", "true"),
            Arguments.of("JSON null", "null"),
            Arguments.of("an unknown top-level field", "{'colour': 'blue'}"),
            Arguments.of("text after the object", "{} {}"),
            Arguments.of("a field given twice", "{'x': 1, 'x': 2}"),
            Arguments.of("a single-quoted JSON-like text", "{\\'a\\': 1}"),
            Arguments.of("a comment", "{/* c */}"));

    static Stream<Arguments> malformedBodies() {
        List<Arguments> cases = new ArrayList<>();
        for (WriteEndpoint endpoint : WriteEndpoint.values()) {
            for (Arguments body : ANY_ENDPOINT) {
                cases.add(Arguments.of(endpoint, body.get()[0], body.get()[1]));
            }
            if (endpoint != WriteEndpoint.ROTATE_TOKEN) { // a rotation without a body generates a secret
                cases.add(Arguments.of(endpoint, "an empty body", ""));
                cases.add(Arguments.of(endpoint, "a blank body", " \n "));
            }
        }
        add(cases, WriteEndpoint.CREATE_TOKEN,
                "name 123", "{'name': 123}",
                "name true", "{'name': true}",
                "isDisabled 'yes'", "{'name': 'n', 'isDisabled': 'yes'}",
                "isDisabled 1", "{'name': 'n', 'isDisabled': 1}",
                "secret a number", "{'name': 'n', 'secret': 12345678901234567890123456789012345}",
                "expiresAt a number", "{'name': 'n', 'expiresAt': 20300101}",
                "rateLimit a string", "{'name': 'n', 'rateLimit': 'x'}",
                "rateLimit an array", "{'name': 'n', 'rateLimit': [5, 'PT1M']}",
                "rateLimit.limit '5'", "{'name': 'n', 'rateLimit': {'limit': '5', 'window': 'PT1M'}}",
                "rateLimit.limit 5.5", "{'name': 'n', 'rateLimit': {'limit': 5.5, 'window': 'PT1M'}}",
                "rateLimit.limit beyond int", "{'name': 'n', 'rateLimit': {'limit': 99999999999, 'window': 'PT1M'}}",
                "rateLimit.window 60", "{'name': 'n', 'rateLimit': {'limit': 5, 'window': 60}}",
                "an unknown field in rateLimit", "{'name': 'n', 'rateLimit': {'limit': 5, 'window': 'PT1M', 'burst': 2}}",
                "a read-only field (id)", "{'name': 'n', 'id': 'x'}",
                "a read-only field (secretHint)", "{'name': 'n', 'secretHint': 'abcd'}");
        add(cases, WriteEndpoint.PATCH_TOKEN,
                "name 123", "{'name': 123}",
                "isDisabled 'yes'", "{'isDisabled': 'yes'}",
                "isDisabled null", "{'isDisabled': null}",
                "rateLimit.limit '5'", "{'rateLimit': {'limit': '5', 'window': 'PT1M'}}",
                "an unknown field in rateLimit", "{'rateLimit': {'limit': 5, 'window': 'PT1M', 'x': 1}}",
                "a read-only field (version)", "{'version': 3}");
        add(cases, WriteEndpoint.ROTATE_TOKEN,
                "secret a number", "{'secret': 1}",
                "secret an object", "{'secret': {}}");
        add(cases, WriteEndpoint.REVOKE_TOKENS,
                "no ids", "{}",
                "ids null", "{'ids': null}",
                "ids a string", "{'ids': 'x'}",
                "ids of numbers", "{'ids': [1]}",
                "ids of objects", "{'ids': [{}]}");
        add(cases, WriteEndpoint.CREATE_DEFINITION,
                "name 123", "{'name': 123, 'route': 'm', 'actionMeta': {'scriptName': 's'}}",
                "route 5", "{'route': 5, 'actionMeta': {'scriptName': 's'}}",
                "description an array", "{'route': 'm', 'description': [], 'actionMeta': {'scriptName': 's'}}",
                "allowedTokens 'x'", "{'route': 'm', 'allowedTokens': 'x', 'actionMeta': {'scriptName': 's'}}",
                "allowedTokens [1]", "{'route': 'm', 'allowedTokens': [1], 'actionMeta': {'scriptName': 's'}}",
                "allowedTokens null", "{'route': 'm', 'allowedTokens': null, 'actionMeta': {'scriptName': 's'}}",
                "an unknown actionType", "{'route': 'm', 'actionType': 'Shell', 'actionMeta': {'scriptName': 's'}}",
                "actionType in another case", "{'route': 'm', 'actionType': 'automationscript', 'actionMeta': {'scriptName': 's'}}",
                "actionType a number", "{'route': 'm', 'actionType': 1, 'actionMeta': {'scriptName': 's'}}",
                "actionMeta a string", "{'route': 'm', 'actionMeta': 'x'}",
                "actionMeta.scriptName 5", "{'route': 'm', 'actionMeta': {'scriptName': 5}}",
                "an unknown inputType", "{'route': 'm', 'actionMeta': {'scriptName': 's', 'inputType': 'Xml'}}",
                "an unknown field in actionMeta", "{'route': 'm', 'actionMeta': {'scriptName': 's', 'timeout': 5}}");
        add(cases, WriteEndpoint.PATCH_DEFINITION,
                "allowedTokens 'x'", "{'allowedTokens': 'x'}",
                "allowedTokens null", "{'allowedTokens': null}",
                "an unknown actionType", "{'actionType': 'Shell'}",
                "an unknown field in actionMeta", "{'actionMeta': {'timeout': 5}}",
                "an unknown inputType", "{'actionMeta': {'inputType': 'Xml'}}",
                "name 123", "{'name': 123}");
        add(cases, WriteEndpoint.CREATE_USER,
                "name 123", "{'name': 123, 'password': 'long-enough-password'}",
                "password a number", "{'name': 'n', 'password': 1234567890123}",
                "permissions [1]", "{'name': 'n', 'password': 'long-enough-password', 'permissions': [1]}",
                "permissions a string", "{'name': 'n', 'password': 'long-enough-password', 'permissions': 'tokens.read'}",
                "an unknown permission", "{'name': 'n', 'password': 'long-enough-password', 'permissions': ['tokens.admin']}",
                "a permission by its Java name", "{'name': 'n', 'password': 'long-enough-password', 'permissions': ['TOKENS_READ']}");
        add(cases, WriteEndpoint.PATCH_USER,
                "permissions [1]", "{'permissions': [1]}",
                "permissions null", "{'permissions': null}",
                "an unknown permission", "{'permissions': ['users.read']}",
                "password a number", "{'password': 1234567890123}");
        return cases.stream();
    }

    private static void add(List<Arguments> cases, WriteEndpoint endpoint, String... labelsAndBodies) {
        for (int i = 0; i < labelsAndBodies.length; i += 2) {
            cases.add(Arguments.of(endpoint, labelsAndBodies[i], labelsAndBodies[i + 1]));
        }
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("malformedBodies")
    void writeWithMalformedBodyThen400MalformedRequest(WriteEndpoint endpoint, String label, String body) {
        String json = body.replace("\\'", "\u0000").replace('\'', '"').replace('\u0000', '\'');
        problem(endpoint.send(json), 400, "MalformedRequest");
    }

    /**
     * A body over the management API's 1 MiB limit is refused from its declared length, before it is
     * read: the test sends the head and one byte, then reads the answer.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(WriteEndpoint.class)
    void writeWithOversizedBodyThen413BeforeTheBodyIsRead(WriteEndpoint endpoint) throws Exception {
        String path = endpoint.path.get();
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            String head = endpoint.method + " " + path + " HTTP/1.1\r\n"
                    + "Host: localhost\r\n"
                    + "Authorization: Basic " + Base64.getEncoder().encodeToString(
                            (AdminApi.ADMIN + ":" + AdminApi.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)) + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + (2 * 1024 * 1024) + "\r\n\r\n{";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String statusLine = in.readLine();
            assertThat(statusLine, startsWith("HTTP/1.1 413"));
            int contentLength = -1;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    contentLength = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            char[] body = new char[contentLength];
            for (int read = 0; read < contentLength; ) {
                read += in.read(body, read, contentLength - read);
            }
            assertThat(new String(body), org.hamcrest.Matchers.containsString("\"reason\":\"PayloadTooLarge\""));
        }
    }
}
