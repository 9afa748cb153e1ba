package io.udapi.manage;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.udapi.problem.Reason;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Completes the management API's OpenAPI document (docs/management-api.md) from the code that decides what
 * every operation answers, so the document cannot drift from it:
 * <ul>
 *   <li>the error envelope ({@code Problems}) with the reasons of {@link Reason}, and one shared response per
 *       error status listing the reasons that {@link ProblemStatus} maps to it;</li>
 *   <li>the answers of {@link AdminGate} that every operation can give: 401, 503 (authentication busy, store
 *       down), 500; 403 with the permission {@link AdminAccess} requires for the operation (also written into
 *       its description and {@code x-udapi-permission}); 413 and 415 for a write;</li>
 *   <li>400 for an operation with a body or query parameters, 404 for one with a path parameter, 412 for one
 *       that takes {@code If-Match}.</li>
 * </ul>
 * Answers an operation lists itself (its success, a 409) are kept. It also sets the server, the tag descriptions
 * and HTTP Basic as the scheme of every operation. Runs once, when the application is built.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ManagementOpenApiFilter implements OASFilter {

    private static final String API = "/admin/v1/";
    static final String PROBLEMS = "Problems";
    static final String PROBLEM = "Problem";
    /** The reason of an unexpected failure; not a {@link Reason}: nothing refuses with it on purpose. */
    static final String INTERNAL_ERROR = "InternalError";

    /** Status → name of its shared response, as operations reference it ({@code ref = "Conflict"}). */
    static final Map<String, String> RESPONSES = Map.ofEntries(
            Map.entry("400", "BadRequest"), Map.entry("401", "Unauthorized"), Map.entry("403", "Forbidden"),
            Map.entry("404", "NotFound"), Map.entry("409", "Conflict"), Map.entry("412", "PreconditionFailed"),
            Map.entry("413", "PayloadTooLarge"), Map.entry("415", "UnsupportedMediaType"), Map.entry("421", "MisdirectedRequest"),
            Map.entry("429", "TooManyRequests"),
            Map.entry("500", "InternalError"), Map.entry("503", "ServiceUnavailable"));

    private static final Map<String, String> WHEN = Map.ofEntries(
            Map.entry("400", "The request is malformed or a field breaks its rule; the body lists every problem found"),
            Map.entry("401", "No valid HTTP Basic credentials of an admin user"),
            Map.entry("403", "The admin user lacks the permission this operation requires"),
            Map.entry("404", "No such object"),
            Map.entry("409", "The change conflicts with another object or with the last-manager rule"),
            Map.entry("412", "If-Match names a version that is no longer the object's"),
            Map.entry("413", "The body is over 1 MiB, or the object is too large for the store"),
            Map.entry("415", "A write whose body is not sent as application/json (or application/merge-patch+json for PATCH)"),
            Map.entry("421", "The request's Host is not a name the management API answers under (an IP address, localhost, or "
                    + "one of udapi.admin.allowed-hosts): a defence against DNS rebinding"),
            Map.entry("429", "This user name's password was checked too often in the last minute without a cached "
                    + "sign-in (udapi.admin.sign-in-attempts); Retry-After says when to try again"),
            Map.entry("500", "An unexpected failure; the service log says more"),
            Map.entry("503", "The store is unreachable for this write or query, or too many sign-ins are being verified "
                    + "or writes are hashing secrets and passwords (then with Retry-After: 1)"));

    static final String BASIC = "basic";

    /** The tags the resources name ({@code @Tag(name = ...)}), described once here. */
    static final Map<String, String> TAGS = new LinkedHashMap<>(Map.of(
            "Tokens", "API tokens: the secrets that call the user-defined APIs, with their rate limits (docs/tokens.md).",
            "Definitions", "User-defined APIs: a route under /api/custom/, the tokens that may call it and the script it "
                    + "runs; and the OpenAPI document of them all.",
            "Users", "Admin users of this API and their permissions.",
            "Events", "The audit trail of every create, update and delete.",
            "Stats", "This instance's trigger counts of the last hour, per definition and per token (docs/api.md)."));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            openAPI.setComponents(components);
        }
        if (openAPI.getInfo() == null) {
            openAPI.setInfo(OASFactory.createInfo().title("udapi management API"));
        }
        openAPI.getInfo().description("Manage the API tokens, the user-defined API definitions, the admin users and the "
                + "audit trail of a udapi cluster: JSON, camelCase, ISO-8601 instants in UTC. Every operation needs HTTP "
                + "Basic credentials of an admin user and names the permission it needs. Every error answers "
                + "{\"errors\": [{\"reason\", \"id\", \"message\", ...}]}.");
        // The API is served on the main HTTP port, not on the management port that serves this document:
        // a server relative to the document would point clients at the wrong port.
        openAPI.servers(List.of(OASFactory.createServer().url("{scheme}://{host}:{port}")
                .description("The main HTTP port of a udapi instance")
                .variables(Map.of(
                        "scheme", OASFactory.createServerVariable().defaultValue("http").enumeration(List.of("http", "https")),
                        "host", OASFactory.createServerVariable().defaultValue("localhost"),
                        "port", OASFactory.createServerVariable().defaultValue("8080").description("quarkus.http.port")))));
        if (openAPI.getTags() != null) {
            openAPI.getTags().forEach(tag -> tag.description(TAGS.get(tag.getName())));
        }
        components.addSecurityScheme(BASIC, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                .description("An admin user's name and password (the first start creates the user admin)."));
        openAPI.security(List.of(OASFactory.createSecurityRequirement().addScheme(BASIC)));
        TreeSet<String> used = new TreeSet<>();
        if (openAPI.getPaths() != null) {
            for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
                if (!path.getKey().startsWith(API)) {
                    continue;
                }
                String relative = path.getKey().substring(API.length());
                for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().getOperations().entrySet()) {
                    complete(op.getKey(), relative, path.getValue(), op.getValue());
                    used.addAll(referencedStatuses(op.getValue().getResponses()));
                }
            }
        }
        components.addSchema(PROBLEM, problemSchema());
        components.addSchema(PROBLEMS, OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("The body of every error of the management API; a request may yield several errors at once.")
                .addRequired("errors")
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).minItems(1)
                        .items(OASFactory.createSchema().ref(PROBLEM))));
        components.addHeader("ETag", header("The object's version as a strong entity tag, e.g. \"3\"; "
                + "send it back as If-Match to make a change conditional.", Schema.SchemaType.STRING));
        components.addHeader("Location", header("The URL path of the created object.", Schema.SchemaType.STRING));
        for (String status : used) {
            components.addResponse(RESPONSES.get(status), errorResponse(status));
        }
    }

    private static void complete(PathItem.HttpMethod method, String relative, PathItem path, Operation op) {
        if (op.getResponses() == null) {
            op.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = op.getResponses();
        List<Parameter> parameters = new ArrayList<>();
        Optional.ofNullable(path.getParameters()).ifPresent(parameters::addAll);
        Optional.ofNullable(op.getParameters()).ifPresent(parameters::addAll);
        boolean body = op.getRequestBody() != null;
        boolean write = AdminAccess.isWrite(HttpMethod.valueOf(method.name()));

        if (body || parameters.stream().anyMatch(p -> p.getIn() == Parameter.In.QUERY)) {
            add(responses, "400");
        }
        add(responses, "401");
        add(responses, "421");
        add(responses, "429");
        AdminAccess.required(HttpMethod.valueOf(method.name()), relative).ifPresent(permission -> {
            add(responses, "403");
            op.addExtension("x-udapi-permission", permission.wireName());
            String needs = "Requires the permission " + permission.wireName() + ".";
            op.setDescription(op.getDescription() == null ? needs : op.getDescription() + "\n\n" + needs);
        });
        if (parameters.stream().anyMatch(p -> p.getIn() == Parameter.In.PATH)) {
            add(responses, "404");
        }
        if (parameters.stream().anyMatch(p -> p.getIn() == Parameter.In.HEADER && "If-Match".equalsIgnoreCase(p.getName()))) {
            add(responses, "412");
        }
        if (write) {
            add(responses, "413");
            add(responses, "415");
        }
        add(responses, "500");
        add(responses, "503");
    }

    private static void add(APIResponses responses, String status) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().ref(RESPONSES.get(status)));
        }
    }

    private static List<String> referencedStatuses(APIResponses responses) {
        List<String> statuses = new ArrayList<>();
        responses.getAPIResponses().forEach((status, response) -> {
            if (response.getRef() != null && RESPONSES.containsKey(status)) {
                statuses.add(status);
            }
        });
        return statuses;
    }

    /** The reasons {@link ProblemStatus} answers with this status, in the order of {@link Reason}. */
    static List<String> reasons(String status) {
        List<String> reasons = new ArrayList<>(Arrays.stream(Reason.values())
                .filter(r -> String.valueOf(ProblemStatus.of(r)).equals(status)).map(Reason::name).toList());
        if (status.equals("500")) {
            reasons.add(INTERNAL_ERROR);
        }
        return reasons;
    }

    private static APIResponse errorResponse(String status) {
        List<String> reasons = reasons(status);
        APIResponse response = OASFactory.createAPIResponse()
                .description(WHEN.get(status) + ". Reasons: " + String.join(", ", reasons) + ".")
                .content(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEMS))))
                .addExtension("x-udapi-reasons", reasons);
        if (status.equals("401")) {
            response.addHeader("WWW-Authenticate", header("Basic realm=\"udapi\" (left out when the request says "
                    + "X-Requested-With: XMLHttpRequest, so that a browser shows no password prompt).", Schema.SchemaType.STRING));
        } else if (status.equals("503")) {
            response.addHeader("Retry-After", header("Seconds to wait (1), with the reason AuthenticationBusy.",
                    Schema.SchemaType.INTEGER));
        } else if (status.equals("429")) {
            response.addHeader("Retry-After", header("Seconds until this user name may try to sign in again.",
                    Schema.SchemaType.INTEGER));
        }
        return response;
    }

    private static Schema problemSchema() {
        List<Object> reasons = new ArrayList<>();
        Arrays.stream(Reason.values()).map(Reason::name).forEach(reasons::add);
        reasons.add(INTERNAL_ERROR);
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("reason", OASFactory.createSchema().addType(Schema.SchemaType.STRING).enumeration(reasons)
                .description("Why the request was refused; the status of each reason is fixed."));
        properties.put("id", OASFactory.createSchema().addType(Schema.SchemaType.STRING).addType(Schema.SchemaType.NULL)
                .description("The id (a user's name) of the object concerned, or null when there is none."));
        properties.put("message", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                .description("A specific message for a human."));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("One refusal. Some reasons add their own fields: TokenInUse apiDefinitionIdLinks (the "
                        + "definitions that allow the token), RouteInUse conflictingDefinitionId and route, InvalidRoute "
                        + "route, UnknownToken tokenIds.")
                .required(List.of("reason", "id", "message")).properties(properties)
                .additionalPropertiesBoolean(Boolean.TRUE);
    }

    private static Header header(String description, Schema.SchemaType type) {
        return OASFactory.createHeader().description(description).schema(OASFactory.createSchema().addType(type));
    }
}
