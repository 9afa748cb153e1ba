package io.udapi.manage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.udapi.definition.ActionType;
import io.udapi.definition.ApiDefinition;
import io.udapi.definition.InputType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * docs/management-api.md: an OpenAPI 3.1 document of the user-defined APIs, one path per definition, built from the
 * registry's definitions as they are now. Pure: the caller passes the definitions and how to find a Run
 * script's declared parameters.
 *
 * <p>Every path gets the five methods a trigger accepts (docs/api.md). GET has no request body (generated clients and proxies
 * drop one), the other four document the body the action takes. Errors share one envelope schema (docs/api.md,
 * "Errors of the trigger path") and one response object per status, each listing the error codes that status can carry.
 */
final class OpenApiDocument {
    static final String VERSION = "3.1.0";
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    private static final List<String> RAW_MEDIA_TYPES = List.of("application/json", "application/xml", "text/xml", "text/plain");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Status → the error codes of docs/architecture.md, "The trigger path" a trigger may answer with it, and what they mean. */
    private static final Map<String, ErrorStatus> ERRORS = errors();

    private record ErrorStatus(String description, List<Integer> codes) {
    }

    private static Map<String, ErrorStatus> errors() {
        Map<String, ErrorStatus> m = new LinkedHashMap<>();
        m.put("400", new ErrorStatus("The body is not a flat JSON object of scalars (10), or declared script parameters are missing (16).", List.of(10, 16)));
        m.put("401", new ErrorStatus("No bearer secret (1008), or one that may not call this API (1010, the same answer whatever the cause).", List.of(1008, 1010)));
        m.put("404", new ErrorStatus("No API has this route (5).", List.of(5)));
        m.put("408", new ErrorStatus("The body did not arrive whole within the body timeout (1101).", List.of(1101)));
        m.put("413", new ErrorStatus("The body is over the size limit (1009).", List.of(1009)));
        m.put("414", new ErrorStatus("The path or the query is too long (1011).", List.of(1011)));
        m.put("415", new ErrorStatus("The Content-Type is not one of application/json, application/xml, text/xml, text/plain (1003).", List.of(1003)));
        m.put("429", new ErrorStatus("The token's rate limit for this API is used up (1014); Retry-After says when to try again.", List.of(1014)));
        m.put("500", new ErrorStatus("The script failed, timed out or answered against the rules (8, 12, 13, 15, 17, 1001, 1002, 1012, 1013).",
                List.of(8, 12, 13, 15, 17, 1001, 1002, 1012, 1013)));
        m.put("503", new ErrorStatus("The script engine is busy or not ready (1006), the secret verification is busy (1100), the memory for "
                + "request bodies is taken (1102), or the rate-limit server of cluster scope cannot be reached (1103); Retry-After: 1.",
                List.of(1006, 1100, 1102, 1103)));
        return m;
    }

    private OpenApiDocument() {
    }

    /**
     * @param definitions        the definitions to describe (already filtered, e.g. to one token's)
     * @param declaredParameters a Run script's declared parameters by script name (empty when none)
     * @param title              the document's title
     */
    static ObjectNode build(Collection<ApiDefinition> definitions, Function<String, List<String>> declaredParameters,
                            String title) {
        ObjectNode doc = JSON.objectNode();
        doc.put("openapi", VERSION);
        ObjectNode info = doc.putObject("info");
        info.put("title", title);
        info.put("version", Long.toString(definitions.stream().mapToLong(ApiDefinition::version).sum()));
        info.put("description", "The user-defined APIs of this udapi cluster. Each is called with "
                + "Authorization: Bearer <secret> of a token the API allows.");
        doc.putArray("servers").addObject().put("url", "/");
        doc.putArray("security").addObject().putArray("bearer");

        ObjectNode paths = doc.putObject("paths");
        Set<String> operationIds = new HashSet<>();
        List<ApiDefinition> sorted = new ArrayList<>(definitions);
        sorted.sort(Comparator.comparing(ApiDefinition::route, String.CASE_INSENSITIVE_ORDER).thenComparing(ApiDefinition::id));
        for (ApiDefinition d : sorted) {
            // udapi matches a route's literals against the decoded request path, so a literal '%' is sent as %25
            paths.set("/api/custom/" + d.route().replace("%", "%25"), path(d, declaredParameters, operationIds));
        }
        doc.set("components", components());
        return doc;
    }

    private static ObjectNode path(ApiDefinition d, Function<String, List<String>> declaredParameters, Set<String> operationIds) {
        ObjectNode item = JSON.objectNode();
        ArrayNode parameters = item.putArray("parameters");
        for (String segment : d.route().split("/")) {
            if (segment.startsWith("{") && segment.endsWith("}")) {
                ObjectNode p = parameters.addObject();
                p.put("name", segment.substring(1, segment.length() - 1));
                p.put("in", "path");
                p.put("required", true);
                p.putObject("schema").put("type", "string");
            }
        }
        if (parameters.isEmpty()) {
            item.remove("parameters");
        }
        boolean flat = d.actionType() == ActionType.AutomationScriptNoEntryPoint
                || d.actionMeta().inputType() == InputType.Parameters;
        List<String> required = d.actionType() == ActionType.AutomationScriptNoEntryPoint
                ? declaredParameters.apply(d.actionMeta().scriptName()) : List.of();
        for (String method : METHODS) {
            ObjectNode op = item.putObject(method);
            op.put("operationId", operationId(method, d, operationIds));
            op.put("summary", d.name() != null ? d.name() : d.route());
            if (d.description() != null) {
                op.put("description", d.description());
            }
            op.put("x-udapi-definition-id", d.id());
            if (!method.equals("get")) {
                op.set("requestBody", flat ? flatBody(required) : rawBody());
            }
            ObjectNode responses = op.putObject("responses");
            ObjectNode ok = responses.putObject("200");
            if (d.actionType() == ActionType.AutomationScriptNoEntryPoint) {
                ok.put("description", "The script ran (an empty body).");
            } else {
                ok.put("description", "The script's answer: its status (200 to 599), headers and body.");
                ok.putObject("content").putObject("*/*").putObject("schema").put("type", "string");
            }
            for (String status : ERRORS.keySet()) {
                if (!status.equals("400") || flat) {
                    responses.putObject(status).put("$ref", "#/components/responses/Error" + status);
                }
            }
        }
        return item;
    }

    private static ObjectNode flatBody(List<String> required) {
        ObjectNode body = JSON.objectNode();
        body.put("description", "A flat JSON object whose values are strings, numbers or booleans; a key appears once."
                + (required.isEmpty() ? "" : " The script declares " + String.join(", ", required) + "."));
        body.put("required", false);
        ObjectNode schema = body.putObject("content").putObject("application/json").putObject("schema");
        schema.put("type", "object");
        schema.putObject("additionalProperties").set("type", scalarTypes());
        if (!required.isEmpty()) {
            ObjectNode properties = schema.putObject("properties");
            ArrayNode names = schema.putArray("required");
            for (String name : required) {
                properties.putObject(name).set("type", scalarTypes());
                names.add(name);
            }
        }
        return body;
    }

    private static ObjectNode rawBody() {
        ObjectNode body = JSON.objectNode();
        body.put("description", "Passed to the script as it is (rawBody).");
        body.put("required", false);
        ObjectNode content = body.putObject("content");
        for (String type : RAW_MEDIA_TYPES) {
            content.putObject(type).putObject("schema").put("type", "string");
        }
        return body;
    }

    private static ArrayNode scalarTypes() {
        return JSON.arrayNode().add("string").add("number").add("boolean");
    }

    /** {@code postTicketsIdStatus} from method and route; a definition id suffix when two would collide. */
    private static String operationId(String method, ApiDefinition d, Set<String> taken) {
        StringBuilder id = new StringBuilder(method);
        for (String segment : d.route().split("/")) {
            boolean upper = true;
            for (char c : segment.toCharArray()) {
                if (c < 128 && Character.isLetterOrDigit(c)) {
                    id.append(upper ? Character.toUpperCase(c) : c);
                    upper = false;
                } else {
                    upper = true;
                }
            }
        }
        String candidate = id.toString();
        if (!taken.add(candidate.toLowerCase(Locale.ROOT))) {
            candidate = candidate + "_" + d.id().replace("-", "").substring(0, 12);
            taken.add(candidate.toLowerCase(Locale.ROOT));
        }
        return candidate;
    }

    private static ObjectNode components() {
        ObjectNode components = JSON.objectNode();
        ObjectNode bearer = components.putObject("securitySchemes").putObject("bearer");
        bearer.put("type", "http");
        bearer.put("scheme", "bearer");
        bearer.put("description", "The secret of a token the API allows.");

        ObjectNode schemas = components.putObject("schemas");
        ObjectNode error = schemas.putObject("Error");
        error.put("type", "object");
        error.putArray("required").add("title").add("detail").add("errorCode").add("faultingNode");
        ObjectNode props = error.putObject("properties");
        props.putObject("title").put("type", "string");
        props.putObject("detail").put("type", "string");
        props.putObject("errorCode").put("type", "integer");
        props.putObject("faultingNode").put("type", "string");
        ObjectNode missing = props.putObject("missingScriptParameters");
        missing.put("type", "array");
        missing.putObject("items").put("type", "string");
        ObjectNode envelope = schemas.putObject("ErrorBody");
        envelope.put("type", "object");
        envelope.putArray("required").add("errors");
        ObjectNode errors = envelope.putObject("properties").putObject("errors");
        errors.put("type", "array");
        errors.putObject("items").put("$ref", "#/components/schemas/Error");

        ObjectNode responses = components.putObject("responses");
        for (Map.Entry<String, ErrorStatus> e : ERRORS.entrySet()) {
            ObjectNode r = responses.putObject("Error" + e.getKey());
            r.put("description", e.getValue().description());
            ArrayNode codes = r.putArray("x-udapi-error-codes");
            e.getValue().codes().forEach(codes::add);
            r.putObject("content").putObject("application/json").putObject("schema")
                    .put("$ref", "#/components/schemas/ErrorBody");
            if (e.getKey().equals("429")) {
                ObjectNode headers = r.putObject("headers");
                header(headers, "Retry-After", "Seconds until the next request may be admitted.", "integer");
                header(headers, "RateLimit", "The limit's state (draft-ietf-httpapi-ratelimit-headers).", "string");
                header(headers, "RateLimit-Policy", "The limit and its window.", "string");
            }
        }
        return components;
    }

    private static void header(ObjectNode headers, String name, String description, String type) {
        ObjectNode h = headers.putObject(name);
        h.put("description", description);
        h.putObject("schema").put("type", type);
    }
}
