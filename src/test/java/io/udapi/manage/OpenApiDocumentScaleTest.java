package io.udapi.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.udapi.definition.ActionMeta;
import io.udapi.definition.ActionType;
import io.udapi.definition.ApiDefinition;
import io.udapi.definition.InputType;
import io.udapi.audit.Stamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document of the user-defined APIs (docs/management-api.md) for a store of 1,000 definitions of
 * every action type: it validates, and a walk of the document against the definitions finds for each one its
 * path, its placeholders as required path parameters, the five methods, the body its action takes and the
 * error statuses with their codes, and nothing else.
 */
class OpenApiDocumentScaleTest {

    private static final int DEFINITIONS = 1_000;
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    /** Status → error codes a trigger can answer with it (the trigger error table of docs/api.md). */
    private static final Map<String, List<Integer>> CODES = Map.of(
            "400", List.of(10, 16), "401", List.of(1008, 1010), "404", List.of(5), "408", List.of(1101), "413", List.of(1009),
            "414", List.of(1011), "415", List.of(1003), "429", List.of(1014),
            "500", List.of(8, 12, 13, 15, 17, 1001, 1002, 1012, 1013), "503", List.of(1006, 1100, 1102, 1103));

    @Test
    void aDocumentOfAThousandDefinitionsValidatesAndMatchesEveryDefinitionsPathParametersBodyAndErrorCodes() {
        Random random = new Random(14);
        List<ApiDefinition> definitions = new ArrayList<>();
        for (int i = 0; i < DEFINITIONS; i++) {
            definitions.add(definition(i, random));
        }
        Map<String, List<String>> declared = Map.of("notify", List.of("channel", "level"));
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(
                OpenApiDocument.build(definitions, name -> declared.getOrDefault(name, List.of()), "scale").toString());
        assertEquals(List.of(), result.getMessages(), "the validator's messages");
        OpenAPI api = result.getOpenAPI();

        assertEquals(DEFINITIONS, api.getPaths().size(), "one path per definition, no other");
        Set<String> operationIds = new HashSet<>();
        for (ApiDefinition d : definitions) {
            PathItem item = api.getPaths().get("/api/custom/" + d.route());
            assertNotNull(item, d.route());
            List<String> placeholders = Arrays.stream(d.route().split("/")).filter(s -> s.startsWith("{"))
                    .map(s -> s.substring(1, s.length() - 1)).toList();
            List<Parameter> parameters = item.getParameters() == null ? List.of() : item.getParameters();
            assertEquals(placeholders, parameters.stream().map(Parameter::getName).toList(), d.route());
            parameters.forEach(p -> assertEquals(List.of("path", true), List.of(p.getIn(), p.getRequired()), d.route()));

            boolean flat = d.actionType() == ActionType.AutomationScriptNoEntryPoint
                    || d.actionMeta().inputType() == InputType.Parameters;
            Map<PathItem.HttpMethod, Operation> operations = item.readOperationsMap();
            assertEquals(Set.copyOf(METHODS), operations.keySet().stream().map(m -> m.name().toLowerCase()).collect(Collectors.toSet()),
                    d.route());
            operations.forEach((method, op) -> {
                assertEquals(d.id(), op.getExtensions().get("x-udapi-definition-id"));
                assertEquals(d.name() != null ? d.name() : d.route(), op.getSummary());
                assertTrue(operationIds.add(op.getOperationId()), "operationId used twice: " + op.getOperationId());
                if (method == PathItem.HttpMethod.GET) {
                    assertNull(op.getRequestBody(), "GET takes no body");
                } else if (flat) {
                    var schema = op.getRequestBody().getContent().get("application/json").getSchema();
                    assertEquals(Set.of("application/json"), op.getRequestBody().getContent().keySet());
                    List<String> required = d.actionType() == ActionType.AutomationScriptNoEntryPoint
                            ? declared.getOrDefault(d.actionMeta().scriptName(), List.of()) : List.of();
                    assertEquals(required, schema.getRequired() == null ? List.of() : schema.getRequired(), d.route());
                } else {
                    assertEquals(Set.of("application/json", "application/xml", "text/xml", "text/plain"),
                            op.getRequestBody().getContent().keySet());
                }
                Set<String> statuses = new HashSet<>(CODES.keySet());
                if (!flat) {
                    statuses.remove("400"); // a raw body is never refused for its shape
                }
                statuses.add("200");
                assertEquals(statuses, op.getResponses().keySet(), d.route() + " " + method);
                for (String status : statuses) {
                    if (!status.equals("200")) {
                        assertEquals("#/components/responses/Error" + status, op.getResponses().get(status).get$ref());
                    }
                }
            });
        }
        CODES.forEach((status, codes) -> {
            ApiResponse shared = api.getComponents().getResponses().get("Error" + status);
            assertEquals(codes, shared.getExtensions().get("x-udapi-error-codes"), status);
            assertEquals("#/components/schemas/ErrorBody", shared.getContent().get("application/json").getSchema().get$ref());
        });
    }

    /** Routes of 1 to 4 segments, some placeholders, every action type and input type, some without a name. */
    private static ApiDefinition definition(int i, Random random) {
        List<String> segments = new ArrayList<>(List.of("svc" + i));
        int more = random.nextInt(4);
        for (int s = 0; s < more; s++) {
            segments.add(random.nextBoolean() ? "{p" + s + "}" : "part" + s);
        }
        ActionType type = i % 3 == 2 ? ActionType.AutomationScriptNoEntryPoint : ActionType.AutomationScript;
        ActionMeta meta = switch (i % 3) {
            case 0 -> new ActionMeta("echo", InputType.RawBody);
            case 1 -> new ActionMeta("echo", InputType.Parameters);
            default -> new ActionMeta(i % 2 == 0 ? "notify" : "other", null);
        };
        String name = i % 5 == 0 ? null : "API " + i;
        return new ApiDefinition(UUID.nameUUIDFromBytes(("scale-" + i).getBytes()).toString(), name,
                i % 7 == 0 ? null : "Definition " + i, String.join("/", segments), Set.of("t-" + (i % 10)), type, meta,
                Stamp.created("admin", Instant.parse("2026-12-01T00:00:00Z")), 1);
    }
}
