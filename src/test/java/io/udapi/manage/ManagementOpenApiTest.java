package io.udapi.manage;

import static io.restassured.RestAssured.given;
import static io.udapi.manage.AdminApi.DEFINITIONS;
import static io.udapi.manage.AdminApi.TOKENS;
import static io.udapi.manage.AdminApi.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.udapi.problem.Reason;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The management API's own OpenAPI document ({@code /q/openapi}, docs/management-api.md) against the running API:
 * every body documents exactly the fields the resource accepts (read from the unknown-field refusal, which lists
 * them), every operation has an id, a summary, a success answer and the error envelope, and the envelope's reasons
 * are those of the code.
 */
@QuarkusTest
class ManagementOpenApiTest {

    @TestHTTPResource(value = "/openapi", management = true)
    URL document;

    /** Fields accepted only to be refused with their own reason; documenting them would invite the mistake. */
    private static final Map<String, Set<String>> ACCEPTED_TO_REFUSE = Map.of(
            "updateToken", Set.of("expiresAt"),  // InvalidExpiry: immutable after create
            "updateUser", Set.of("name"));       // InvalidName: a user cannot be renamed

    private OpenAPI api() {
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(
                given().queryParam("format", "json").get(document).then().statusCode(200).extract().asString());
        assertEquals(List.of(), result.getMessages());
        return result.getOpenAPI();
    }

    private static Operation operation(OpenAPI api, String operationId) {
        return api.getPaths().values().stream().flatMap(p -> p.readOperations().stream())
                .filter(o -> operationId.equals(o.getOperationId())).findFirst()
                .orElseThrow(() -> new AssertionError("no operation " + operationId));
    }

    private static Set<String> documentedFields(OpenAPI api, String operationId) {
        Schema<?> schema = operation(api, operationId).getRequestBody().getContent().get("application/json").getSchema();
        String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
        return new TreeSet<>(api.getComponents().getSchemas().get(name).getProperties().keySet());
    }

    /** The fields the running resource accepts, as its refusal of an unknown field lists them. */
    private static Set<String> acceptedFields(String method, String path) {
        String message = asAdmin().body(Map.of("zzNotAField", 1)).request(method, path).then().statusCode(400)
                .extract().path("errors[0].message");
        Matcher m = Pattern.compile("allowed: \\[([^\\]]*)\\]").matcher(message);
        assertTrue(m.find(), message);
        return Arrays.stream(m.group(1).split(",")).map(String::trim).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The committed copy that the generated client of GeneratedClientTest is built from (pom.xml,
     * openapi-generator) must be the document the service serves; otherwise the client tests an API that is not
     * there. On a difference the live document is written next to the build output, to be copied over.
     */
    @Test
    void theCommittedDocumentThatTheClientIsGeneratedFromIsTheLiveOne() throws IOException {
        String live = given().queryParam("format", "json").get(document).then().statusCode(200).extract().asString();
        ObjectMapper json = new ObjectMapper();
        Path committed = Path.of("src/test/openapi/management-api.json");
        if (!json.readTree(live).equals(json.readTree(committed.toFile()))) {
            Path fresh = Path.of("target/openapi/management-api.live.json");
            Files.createDirectories(fresh.getParent());
            Files.writeString(fresh, live);
            throw new AssertionError(committed + " differs from the live /q/openapi: review the change, then "
                    + "cp " + fresh + " " + committed);
        }
    }

    @Test
    void everyRequestBodyDocumentsExactlyTheFieldsTheResourceAccepts() {
        OpenAPI api = api();
        String token = AdminApi.newToken();
        String definition = AdminApi.newDefinition();
        Map<String, String[]> calls = Map.of(
                "createToken", new String[] {"POST", TOKENS},
                "updateToken", new String[] {"PATCH", TOKENS + "/" + token},
                "rotateToken", new String[] {"POST", TOKENS + "/" + token + "/rotate"},
                "revokeTokens", new String[] {"POST", TOKENS + "/revoke"},
                "reportLeakedSecrets", new String[] {"POST", TOKENS + "/leaked"},
                "createDefinition", new String[] {"POST", DEFINITIONS},
                "updateDefinition", new String[] {"PATCH", DEFINITIONS + "/" + definition},
                "createUser", new String[] {"POST", "/admin/v1/users"},
                "updateUser", new String[] {"PATCH", "/admin/v1/users/admin"});
        calls.forEach((operationId, call) -> {
            Set<String> accepted = acceptedFields(call[0], call[1]);
            accepted.removeAll(ACCEPTED_TO_REFUSE.getOrDefault(operationId, Set.of()));
            assertEquals(accepted, documentedFields(api, operationId), operationId + ": documented body vs accepted fields");
        });
    }

    @Test
    void everyOperationHasAnIdASummaryATagASuccessAndTheErrorEnvelope() {
        OpenAPI api = api();
        Set<String> ids = new TreeSet<>();
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> e : path.getValue().readOperationsMap().entrySet()) {
                Operation op = e.getValue();
                String where = e.getKey() + " " + path.getKey();
                assertNotNull(op.getOperationId(), where);
                assertTrue(ids.add(op.getOperationId()), "operationId twice: " + op.getOperationId());
                assertNotNull(op.getSummary(), where);
                assertEquals(1, op.getTags().size(), where);
                assertTrue(op.getResponses().keySet().stream().anyMatch(s -> s.startsWith("2")), where);
                assertEquals("#/components/responses/Unauthorized", op.getResponses().get("401").get$ref(), where);
                op.getResponses().forEach((status, response) -> {
                    if (!status.startsWith("2")) {
                        assertNotNull(response.get$ref(), where + " " + status + " is the shared error answer");
                    }
                });
            }
        }
        assertEquals("basic", api.getComponents().getSecuritySchemes().get("basic").getScheme());
        assertEquals(Set.of("basic"), api.getSecurity().get(0).keySet());
        assertEquals("#/components/responses/Conflict", operation(api, "createToken").getResponses().get("409").get$ref());
        assertEquals("201", operation(api, "createToken").getResponses().keySet().iterator().next());
        assertTrue(operation(api, "deleteToken").getResponses().containsKey("204"));
        assertEquals("tokens.delete", operation(api, "revokeTokens").getExtensions().get("x-udapi-permission"));
    }

    @Test
    void getStatsAnswersTheStatsSchemaWithEveryFieldRequiredAndNullableQuantiles() {
        OpenAPI api = api();
        Operation op = operation(api, "getStats");
        assertEquals(List.of("Stats"), op.getTags());
        assertEquals("events.read", op.getExtensions().get("x-udapi-permission"));
        assertEquals("#/components/responses/Forbidden", op.getResponses().get("403").get$ref());
        assertEquals("#/components/schemas/Stats",
                op.getResponses().get("200").getContent().get("application/json").getSchema().get$ref());
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        // required lists come out sorted: compared as sets
        assertEquals(Set.of("nodeId", "from", "bucket", "definitions", "tokens"),
                Set.copyOf(schemas.get("Stats").getRequired()));
        assertEquals(Set.of("at", "admitted", "rateLimited", "rejected", "errors", "p50Ms", "p99Ms"),
                Set.copyOf(schemas.get("StatsBucket").getRequired()));
        assertEquals(Set.of("id", "name", "buckets"), Set.copyOf(schemas.get("TokenStats").getRequired()));
        assertEquals(Set.of("id", "route", "buckets"), Set.copyOf(schemas.get("DefinitionStats").getRequired()));
        Schema<?> p50 = (Schema<?>) schemas.get("StatsBucket").getProperties().get("p50Ms");
        assertTrue(p50.getTypes() != null && p50.getTypes().contains("null"), "p50Ms is nullable: " + p50.getTypes());
    }

    @Test
    void theErrorEnvelopeListsEveryReasonOfTheCode() {
        OpenAPI api = api();
        Schema<?> reason = (Schema<?>) api.getComponents().getSchemas().get("Problem").getProperties().get("reason");
        Set<Object> expected = new TreeSet<>(Arrays.stream(Reason.values()).map(Reason::name).toList());
        expected.add("InternalError");
        assertEquals(expected, new TreeSet<>(reason.getEnum()));
        assertEquals(List.of("NameInUse", "RouteInUse", "TokenInUse", "LastManager").stream().sorted().toList(),
                ((List<?>) api.getComponents().getResponses().get("Conflict").getExtensions().get("x-udapi-reasons"))
                        .stream().map(Object::toString).sorted().toList());
    }
}
