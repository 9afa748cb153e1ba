package io.udapi.manage;

import static io.udapi.manage.AdminApi.DEFINITIONS;
import static io.udapi.manage.AdminApi.TOKENS;
import static io.udapi.manage.AdminApi.as;
import static io.udapi.manage.AdminApi.asAdmin;
import static io.udapi.manage.AdminApi.createUser;
import static io.udapi.manage.AdminApi.json;
import static io.udapi.manage.AdminApi.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.udapi.user.Permission;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/management-api.md over HTTP: {@code GET /admin/v1/definitions/openapi} is an OpenAPI 3.1 document that the
 * swagger-parser reference parser reads without a single message, with a path per definition.
 */
@QuarkusTest
@TestProfile(OpenApiDocumentTest.RunScriptProfile.class)
class OpenApiDocumentTest {

    /**
     * A scripts directory where the Run script {@code run-declared} declares {@code channel} and {@code level},
     * with the example {@code echo}.
     */
    public static class RunScriptProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target/tmp")).toAbsolutePath(), "udapi-openapi-scripts-");
                Files.writeString(dir.resolve("run-declared.params"), "channel\nlevel\n");
                // the example echo script, so that the document-driven client gets real answers
                Path echo = Files.copy(Path.of("scripts/echo"), dir.resolve("echo"));
                echo.toFile().setExecutable(true);
                return Map.of("udapi.scripts.dir", dir.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String token(String name) {
        return asAdmin().body(json("name", name)).post(TOKENS).then().statusCode(201).extract().path("id");
    }

    private static String definition(Map<String, Object> body) {
        return asAdmin().body(body).post(DEFINITIONS).then().statusCode(201).extract().path("id");
    }

    @Test
    void theValidatorItselfReportsADocumentThatBreaksTheSpecification() {
        // not vacuous: the same parser has messages for a 3.1 document without info and a path parameter that is optional
        String broken = "{\"openapi\":\"3.1.0\",\"paths\":{\"/a/{x}\":{\"get\":{\"parameters\":[{\"name\":\"x\","
                + "\"in\":\"path\",\"required\":false,\"schema\":{\"type\":\"string\"}}],\"responses\":{\"200\":{\"description\":\"ok\"}}}}}}";
        assertFalse(new OpenAPIV3Parser().readContents(broken).getMessages().isEmpty());
    }

    private static OpenAPI parse(String document) {
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document);
        assertEquals(List.of(), result.getMessages(), "the validator's messages about:\n" + document);
        assertNotNull(result.getOpenAPI());
        return result.getOpenAPI();
    }

    @Test
    void theDocumentIsValidOpenApi31WithAPathPerDefinitionItsParametersBodiesAndErrors() {
        String tokenA = token(unique("oa-a"));
        String prefix = unique("oa");
        String raw = definition(json("route", prefix + "/tickets/{ticketId}/status", "name", "Ticket status",
                "description", "Sets a ticket's status.", "allowedTokens", List.of(tokenA),
                "actionMeta", json("scriptName", "echo")));
        definition(json("route", prefix + "/params", "allowedTokens", List.of(tokenA),
                "actionMeta", json("scriptName", "echo", "inputType", "Parameters")));
        String run = definition(json("route", prefix + "/run", "allowedTokens", List.of(tokenA),
                "actionType", "AutomationScriptNoEntryPoint", "actionMeta", json("scriptName", "run-declared")));

        String document = asAdmin().get(DEFINITIONS + "/openapi").then().statusCode(200)
                .contentType("application/json").extract().asString();
        OpenAPI api = parse(document);

        assertEquals("3.1.0", api.getOpenapi());
        PathItem tickets = api.getPaths().get("/api/custom/" + prefix + "/tickets/{ticketId}/status");
        assertNotNull(tickets, "a path per definition");
        Parameter id = tickets.getParameters().get(0);
        assertEquals(List.of("ticketId", "path", true), List.of(id.getName(), id.getIn(), id.getRequired()));
        for (Operation op : List.of(tickets.getGet(), tickets.getPost(), tickets.getPut(), tickets.getPatch(), tickets.getDelete())) {
            assertEquals(raw, op.getExtensions().get("x-udapi-definition-id"));
            assertEquals("Ticket status", op.getSummary());
            assertEquals("Sets a ticket's status.", op.getDescription());
        }
        assertNull(tickets.getGet().getRequestBody(), "GET takes no body");
        assertEquals(List.of("application/json", "application/xml", "text/xml", "text/plain"),
                List.copyOf(tickets.getPost().getRequestBody().getContent().keySet()), "RawBody: the four media types of the media stage");
        assertEquals("#/components/responses/Error429", tickets.getPost().getResponses().get("429").get$ref());
        assertEquals(List.of("Retry-After", "RateLimit", "RateLimit-Policy"),
                List.copyOf(api.getComponents().getResponses().get("Error429").getHeaders().keySet()));
        assertTrue(api.getComponents().getSecuritySchemes().containsKey("bearer"));

        Schema<?> params = api.getPaths().get("/api/custom/" + prefix + "/params").getPost().getRequestBody()
                .getContent().get("application/json").getSchema();
        assertEquals("object", params.getTypes().iterator().next());
        Operation runPost = api.getPaths().get("/api/custom/" + prefix + "/run").getPost();
        assertEquals(run, runPost.getExtensions().get("x-udapi-definition-id"));
        assertEquals(List.of("channel", "level"), runPost.getRequestBody().getContent().get("application/json")
                .getSchema().getRequired(), "the Run script's .params names are required properties");
    }

    /**
     * A client that knows the APIs only through one token's document: for every path and method it fills the
     * documented path parameters and required body properties, sends the request with the token's secret, and
     * gets an answer whose status the document lists (200 here: every definition runs echo).
     */
    @Test
    void aClientDrivenOnlyByOneTokensDocumentCallsEveryOperationAndGetsADocumentedAnswer() {
        Map<String, Object> created = asAdmin().body(json("name", unique("oa-client"))).post(TOKENS).then()
                .statusCode(201).extract().as(Map.class);
        String tokenId = (String) created.get("id");
        String secret = (String) created.get("secret");
        String prefix = unique("oa-c");
        definition(json("route", prefix + "/orders/{orderId}/lines/{line}", "allowedTokens", List.of(tokenId),
                "actionMeta", json("scriptName", "echo")));
        definition(json("route", prefix + "/notify", "allowedTokens", List.of(tokenId),
                "actionMeta", json("scriptName", "echo", "inputType", "Parameters")));

        OpenAPI api = parse(asAdmin().queryParam("tokenId", tokenId).get(DEFINITIONS + "/openapi").then().statusCode(200)
                .extract().asString());
        int calls = 0;
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().readOperationsMap().entrySet()) {
                Operation operation = entry.getValue();
                String url = path.getKey();
                List<Parameter> parameters = path.getValue().getParameters() == null ? List.of() : path.getValue().getParameters();
                for (Parameter parameter : parameters) {
                    if ("path".equals(parameter.getIn())) {
                        url = url.replace("{" + parameter.getName() + "}", "v-" + parameter.getName());
                    }
                }
                io.restassured.specification.RequestSpecification request = io.restassured.RestAssured.given()
                        .header("Authorization", "Bearer " + secret);
                if (operation.getRequestBody() != null) {
                    Schema<?> schema = operation.getRequestBody().getContent().get("application/json").getSchema();
                    Map<String, Object> body = new java.util.TreeMap<>();
                    if (schema != null && schema.getRequired() != null) {
                        schema.getRequired().forEach(name -> body.put(name, "x"));
                    }
                    request.contentType("application/json").body(body);
                }
                int status = request.request(entry.getKey().name(), url).then().extract().statusCode();
                assertTrue(operation.getResponses().containsKey(String.valueOf(status)),
                        entry.getKey() + " " + url + " answered " + status + ", not a documented status");
                assertEquals(200, status, entry.getKey() + " " + url);
                calls++;
            }
        }
        assertEquals(2 * 5, calls, "two paths with the five methods each");
    }

    @Test
    void aRouteWithAPercentSignIsListedUnderThePathThatReachesIt() {
        Map<String, Object> created = asAdmin().body(json("name", unique("oa-pct"))).post(TOKENS).then()
                .statusCode(201).extract().as(Map.class);
        String prefix = unique("oa-p");
        definition(json("route", prefix + "/a%2Fb", "allowedTokens", List.of(created.get("id")),
                "actionMeta", json("scriptName", "echo")));
        OpenAPI api = parse(asAdmin().queryParam("tokenId", created.get("id")).get(DEFINITIONS + "/openapi").then()
                .statusCode(200).extract().asString());
        String documented = "/api/custom/" + prefix + "/a%252Fb";
        assertEquals(java.util.Set.of(documented), api.getPaths().keySet());
        io.restassured.RestAssured.given().urlEncodingEnabled(false).header("Authorization", "Bearer " + created.get("secret"))
                .get(documented).then().statusCode(200);
    }

    @Test
    void forOneTokenOnlyTheDefinitionsItMayCallAreListed() {
        String mine = token(unique("oa-mine"));
        String other = token(unique("oa-other"));
        String prefix = unique("oa-t");
        definition(json("route", prefix + "/mine", "allowedTokens", List.of(mine), "actionMeta", json("scriptName", "echo")));
        definition(json("route", prefix + "/other", "allowedTokens", List.of(other), "actionMeta", json("scriptName", "echo")));

        OpenAPI api = parse(asAdmin().queryParam("tokenId", mine).get(DEFINITIONS + "/openapi").then().statusCode(200)
                .extract().asString());

        assertTrue(api.getPaths().containsKey("/api/custom/" + prefix + "/mine"));
        assertFalse(api.getPaths().containsKey("/api/custom/" + prefix + "/other"));
        api.getPaths().values().forEach(p -> assertTrue(p.getPost().getExtensions().containsKey("x-udapi-definition-id")));
    }

    @Test
    void anUnknownTokenIdIs404AndAUserWithoutDefinitionsReadIs403() {
        AdminApi.problem(asAdmin().queryParam("tokenId", "no-such-token").get(DEFINITIONS + "/openapi"), 404, "NotFound", "no-such-token");
        String tokensOnly = createUser(Permission.TOKENS_READ);
        AdminApi.problem(as(tokensOnly).get(DEFINITIONS + "/openapi"), 403, "Forbidden");
    }
}
