package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.udapi.os.InfrastructureProcesses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both OpenAPI documents of the packaged service pass {@code redocly lint} (recommended rules, the repository's
 * {@code redocly.yaml}) with no error and no warning, and a client driven only by the management document creates
 * a token and definitions of every action type and reads them back (docs/management-api.md). The documents are
 * written to {@code target/openapi/}. Redocly is installed by npm into {@code target/redocly} once; without npm
 * this fails and says what to install, it never skips.
 */
class OpenApiLintIT {

    static final String REDOCLY_VERSION = "2.77.0";
    private static final Path REDOCLY_DIR = Path.of("target/redocly");
    private static final Path OUT = Path.of("target/openapi");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void bothDocumentsLintCleanAndAClientBuiltFromTheManagementDocumentCreatesATokenAndDefinitions() throws Exception {
        Path redocly = installRedocly();
        Files.createDirectories(OUT);
        try (ServiceProcess service = new ServiceProcess(work.resolve("data"), work.resolve("udapi.log"),
                ServiceProcess.config()).start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String management = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.managementPort()
                    + "/q/openapi?format=json")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Path managementFile = OUT.resolve("management-api.json");
            Files.writeString(managementFile, management);

            DocumentClient client = new DocumentClient(parse(management), http, service.baseUrl());
            ObjectNode token = client.call("createToken", Map.of(), Map.of("name", "lint-client",
                    "rateLimit", Map.of("limit", 5, "window", "PT1M")), 201);
            String tokenId = token.get("id").asText();
            assertTrue(token.get("secret").asText().startsWith("udapi_"), "the create answer shows the secret once");
            ObjectNode readToken = client.call("getToken", Map.of("id", tokenId), null, 200);
            assertEquals(5, readToken.at("/rateLimit/limit").asInt());
            assertFalse(readToken.has("secret"), "a read never shows the secret");

            Map<String, Map<String, Object>> definitions = Map.of(
                    "lint/raw/{ticketId}", Map.of("actionMeta", Map.of("scriptName", "echo")),
                    "lint/params", Map.of("actionMeta", Map.of("scriptName", "echo", "inputType", "Parameters")),
                    "lint/run", Map.of("actionType", "AutomationScriptNoEntryPoint", "actionMeta", Map.of("scriptName", "notify")));
            for (Map.Entry<String, Map<String, Object>> d : definitions.entrySet()) {
                Map<String, Object> body = new java.util.HashMap<>(d.getValue());
                body.put("route", d.getKey());
                body.put("name", "Lint " + d.getKey());
                body.put("allowedTokens", List.of(tokenId));
                ObjectNode created = client.call("createDefinition", Map.of(), body, 201);
                ObjectNode read = client.call("getDefinition", Map.of("id", created.get("id").asText()), null, 200);
                assertEquals(d.getKey(), read.get("route").asText());
                assertEquals(List.of(tokenId), List.of(read.get("allowedTokens").get(0).asText()));
            }

            String custom = client.raw("getDefinitionsOpenApi", Map.of(), 200);
            Path customFile = OUT.resolve("custom-apis.json");
            Files.writeString(customFile, custom);
            parse(custom);

            assertLintsClean(redocly, managementFile);
            assertLintsClean(redocly, customFile);
        }
    }

    @Test
    void redoclyFailsADocumentThatBreaksTheRecommendedRules() throws Exception {
        // not vacuous: the same command, config and version refuse an operation without summary or security
        Path redocly = installRedocly();
        Path broken = work.resolve("broken.json");
        Files.writeString(broken, "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"t\",\"version\":\"1\"},"
                + "\"servers\":[{\"url\":\"http://localhost:8080\"}],\"paths\":{\"/a\":{\"get\":{\"responses\":"
                + "{\"200\":{\"description\":\"ok\"}}}}}}");
        Result result = lint(redocly, broken);
        assertTrue(result.exit() != 0, "redocly accepted a broken document:\n" + result.output());
    }

    private record Result(int exit, String output) {
    }

    private static void assertLintsClean(Path redocly, Path document) throws Exception {
        Result result = lint(redocly, document);
        Files.writeString(OUT.resolve(document.getFileName() + ".lint.json"), result.output());
        JsonNode totals = JSON.readTree(result.output()).path("totals");
        assertEquals(List.of(0, 0, 0), List.of(result.exit(), totals.path("errors").asInt(-1), totals.path("warnings").asInt(-1)),
                "redocly lint " + document + " (exit, errors, warnings):\n" + result.output());
    }

    /** Runs redocly with JSON output on stdout (its notices, e.g. about the Node.js version, go to stderr). */
    private static Result lint(Path redocly, Path document) throws Exception {
        Path stderr = Files.createTempFile("redocly-", ".err");
        ProcessBuilder builder = new ProcessBuilder(redocly.toAbsolutePath().toString(), "lint",
                "--config", Path.of("redocly.yaml").toAbsolutePath().toString(), "--format", "json",
                document.toAbsolutePath().toString()).redirectError(stderr.toFile());
        builder.environment().put("REDOCLY_TELEMETRY", "off");
        Process process = InfrastructureProcesses.start(builder);
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "redocly did not finish");
        String output = new String(out, StandardCharsets.UTF_8);
        assertTrue(output.contains("\"totals\""), "redocly printed no result:\n" + output + Files.readString(stderr));
        return new Result(process.exitValue(), output);
    }

    /** {@code @redocly/cli}, pinned, from the npm registry into target/redocly; reused while it is there. */
    static Path installRedocly() throws Exception {
        Path bin = REDOCLY_DIR.resolve("node_modules/.bin/redocly");
        Path marker = REDOCLY_DIR.resolve("node_modules/@redocly/cli/package.json");
        if (Files.isExecutable(bin) && Files.exists(marker)
                && JSON.readTree(marker.toFile()).path("version").asText().equals(REDOCLY_VERSION)) {
            return bin;
        }
        String npm = onPath("npm", "install Node.js and npm (apt-get install nodejs npm); .ci/run does this");
        Files.createDirectories(REDOCLY_DIR);
        if (!Files.exists(REDOCLY_DIR.resolve("package.json"))) {
            Files.writeString(REDOCLY_DIR.resolve("package.json"), "{\"name\":\"udapi-redocly\",\"private\":true}\n");
        }
        ProcessBuilder builder = new ProcessBuilder(npm, "install", "--no-audit", "--no-fund", "--save-exact",
                "@redocly/cli@" + REDOCLY_VERSION).directory(REDOCLY_DIR.toFile()).redirectErrorStream(true);
        Process process = InfrastructureProcesses.start(builder);
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "npm install @redocly/cli did not finish");
        assertEquals(0, process.exitValue(), "npm install @redocly/cli@" + REDOCLY_VERSION + " failed:\n"
                + new String(out, StandardCharsets.UTF_8));
        assertTrue(Files.isExecutable(bin), bin + " missing after npm install");
        return bin;
    }

    private static String onPath(String command, String advice) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError(command + " not found on PATH: " + advice);
    }

    private static OpenAPI parse(String document) {
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document);
        assertEquals(List.of(), result.getMessages(), "the validator's messages");
        assertNotNull(result.getOpenAPI());
        return result.getOpenAPI();
    }

    /**
     * A client that knows the API only through the document: it finds an operation by its id, fills the path
     * template, sends only body fields the request schema declares, authenticates by the declared Basic scheme,
     * and checks that the answer's status is documented and its fields are the response schema's.
     */
    private static final class DocumentClient {
        private final OpenAPI api;
        private final HttpClient http;
        private final String base;
        private final String basic = "Basic " + Base64.getEncoder().encodeToString(
                ("admin:" + ServiceProcess.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));

        DocumentClient(OpenAPI api, HttpClient http, String base) {
            this.api = api;
            this.http = http;
            this.base = base;
            assertEquals("basic", api.getComponents().getSecuritySchemes().get("basic").getScheme());
            assertEquals(List.of("basic"), List.copyOf(api.getSecurity().get(0).keySet()));
        }

        ObjectNode call(String operationId, Map<String, String> pathParameters, Object body, int expected) throws Exception {
            Found found = find(operationId);
            HttpResponse<String> response = send(found, pathParameters, body);
            assertEquals(expected, response.statusCode(), operationId + ": " + response.body());
            ApiResponse documented = found.operation().getResponses().get(String.valueOf(expected));
            assertNotNull(documented, operationId + " does not document " + expected);
            Schema<?> schema = resolve(documented.getContent().get("application/json").getSchema());
            JsonNode answer = JSON.readTree(response.body());
            Set<String> fields = new TreeSet<>();
            answer.fieldNames().forEachRemaining(fields::add);
            assertTrue(schema.getProperties().keySet().containsAll(fields),
                    operationId + " answered fields " + fields + " beyond " + schema.getProperties().keySet());
            assertTrue(schema.getRequired() == null || fields.containsAll(schema.getRequired()), operationId + " lacks required " + schema.getRequired());
            return (ObjectNode) answer;
        }

        String raw(String operationId, Map<String, String> pathParameters, int expected) throws Exception {
            HttpResponse<String> response = send(find(operationId), pathParameters, null);
            assertEquals(expected, response.statusCode(), operationId + ": " + response.body());
            return response.body();
        }

        private HttpResponse<String> send(Found found, Map<String, String> pathParameters, Object body) throws Exception {
            String path = found.path();
            for (Map.Entry<String, String> p : pathParameters.entrySet()) {
                assertTrue(path.contains("{" + p.getKey() + "}"), found.path() + " has no parameter " + p.getKey());
                path = path.replace("{" + p.getKey() + "}", p.getValue());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", basic);
            if (body != null) {
                assertNotNull(found.operation().getRequestBody(), found.path() + " takes no body");
                Schema<?> schema = resolve(found.operation().getRequestBody().getContent().get("application/json").getSchema());
                @SuppressWarnings("unchecked")
                Set<String> given = ((Map<String, Object>) body).keySet();
                assertTrue(schema.getProperties().keySet().containsAll(given),
                        "fields " + given + " beyond the documented " + schema.getProperties().keySet());
                if (schema.getRequired() != null) {
                    assertTrue(given.containsAll(schema.getRequired()), "missing required " + schema.getRequired());
                }
                request.header("Content-Type", "application/json")
                        .method(found.method().name(), HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                request.method(found.method().name(), HttpRequest.BodyPublishers.noBody());
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        private record Found(String path, PathItem.HttpMethod method, Operation operation) {
        }

        private Found find(String operationId) {
            for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
                for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                    if (operationId.equals(op.getValue().getOperationId())) {
                        return new Found(path.getKey(), op.getKey(), op.getValue());
                    }
                }
            }
            throw new AssertionError("the document has no operation " + operationId);
        }

        private Schema<?> resolve(Schema<?> schema) {
            if (schema.get$ref() == null) {
                return schema;
            }
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            return api.getComponents().getSchemas().get(name);
        }
    }
}
