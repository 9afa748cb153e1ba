package io.udapi.manage;

import io.udapi.token.ApiToken;
import io.udapi.usage.UsageFlusher;
import io.udapi.user.Permission;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /admin/v1/tokens}: thin; parsing of bodies and every rule live in {@link TokenAdmin}. */
@Path("/admin/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
@Tag(name = "Tokens")
public class TokenResource {

    private final TokenAdmin tokens;
    private final LeakReports leaks;
    private final AdminCaller callers;
    private final UsageFlusher usage;
    /** The one clock: a view hides a previous secret whose overlap has ended (docs/tokens.md). */
    private final Clock clock;

    TokenResource(TokenAdmin tokens, LeakReports leaks, AdminCaller callers, UsageFlusher usage, Clock clock) {
        this.usage = usage;
        this.tokens = tokens;
        this.leaks = leaks;
        this.callers = callers;
        this.clock = clock;
    }

    @Operation(operationId = "listTokens", summary = "List tokens",
            description = "Filtered, sorted and paged; sort by a field name, - first for descending (default name).")
    @Parameter(name = "name", in = ParameterIn.QUERY, description = "Substring of the name, case-insensitive.")
    @Parameter(name = "isDisabled", in = ParameterIn.QUERY, schema = @Schema(type = SchemaType.BOOLEAN))
    @Parameter(name = "expired", in = ParameterIn.QUERY, schema = @Schema(type = SchemaType.BOOLEAN),
            description = "A token without expiresAt is never expired.")
    @Parameter(name = "createdBy", in = ParameterIn.QUERY, description = "The admin user who created it.")
    @Parameter(name = "sort", in = ParameterIn.QUERY, description = "A field name, - first for descending.",
            schema = @Schema(type = SchemaType.STRING, defaultValue = "name"))
    @Parameter(name = "page", in = ParameterIn.QUERY, schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
    @Parameter(name = "size", in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "1000", defaultValue = "50"))
    @APIResponse(responseCode = "200", description = "One page of tokens, without secrets.",
            content = @Content(schema = @Schema(implementation = TokenSchemas.TokenList.class)))
    @GET
    public Listing<?> list(@QueryParam("name") String name, @QueryParam("isDisabled") String disabled,
                                    @QueryParam("expired") String expired, @QueryParam("createdBy") String createdBy,
                                    @QueryParam("sort") String sort, @QueryParam("page") String page,
                                    @QueryParam("size") String size) {
        TokenAdmin.Filter filter = new TokenAdmin.Filter(emptyToNull(name),
                QueryParams.bool("isDisabled", disabled).orElse(null), QueryParams.bool("expired", expired).orElse(null),
                emptyToNull(createdBy));
        Instant now = clock.instant();
        ListQuery.Page<TokenView> result = tokens.list(filter, sort, page, size).map(t -> view(t, now));
        return new Listing<>(result.items(), result.total());
    }

    @Operation(operationId = "getToken", summary = "Get a token")
    @APIResponse(responseCode = "200", description = "The token, without its secret.",
            headers = @Header(name = "ETag", ref = "ETag"), content = @Content(schema = @Schema(implementation = TokenView.class)))
    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        ApiToken token = tokens.get(id);
        return Response.ok(view(token, clock.instant())).tag(String.valueOf(token.version())).build();
    }

    @Operation(operationId = "createToken", summary = "Create a token")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TokenSchemas.Create.class)))
    @APIResponse(responseCode = "201", description = "The new token with its secret, shown this once.",
            headers = {@Header(name = "Location", ref = "Location"), @Header(name = "ETag", ref = "ETag")},
            content = @Content(schema = @Schema(implementation = TokenView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    public Response create(String body) {
        Caller caller = callers.current();
        TokenAdmin.Created created = tokens.create(caller, JsonBody.parse(body, TokenAdmin.CREATE_FIELDS));
        return Response.created(URI.create("/admin/v1/tokens/" + created.token().id()))
                .tag(String.valueOf(created.token().version()))
                .entity(view(created.token(), clock.instant()).withSecret(created.secret())).build();
    }

    @Operation(operationId = "updateToken", summary = "Change a token",
            description = "A JSON merge patch; expiresAt cannot change (InvalidExpiry).")
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "The version the change is based on, e.g. \"3\".")
    @RequestBody(required = true, content = {
            @Content(mediaType = "application/merge-patch+json", schema = @Schema(implementation = TokenSchemas.Patch.class)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenSchemas.Patch.class))})
    @APIResponse(responseCode = "200", description = "The changed token.", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(schema = @Schema(implementation = TokenView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @PATCH
    @Path("{id}")
    public Response patch(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @PathParam("id") String id, String body) {
        Caller caller = callers.current();
        ApiToken token = tokens.patch(caller, id, ifMatch, JsonBody.parse(body, TokenAdmin.PATCH_FIELDS));
        return Response.ok(view(token, clock.instant())).tag(String.valueOf(token.version())).build();
    }

    @Operation(operationId = "rotateToken", summary = "Give a token a new secret",
            description = "Generates a new secret, or sets the one given, and answers it once.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TokenSchemas.Rotate.class)))
    @APIResponse(responseCode = "200", description = "The token with its new secret, shown this once.",
            headers = @Header(name = "ETag", ref = "ETag"), content = @Content(schema = @Schema(implementation = TokenView.class)))
    @POST
    @Path("{id}/rotate")
    public Response rotate(@PathParam("id") String id,
                           String body) {
        Caller caller = callers.current();
        JsonBody parsed = body == null || body.isBlank() ? null : JsonBody.parse(body, TokenAdmin.ROTATE_FIELDS);
        TokenAdmin.Created rotated = tokens.rotate(caller, id, parsed);
        return Response.ok(view(rotated.token(), clock.instant()).withSecret(rotated.secret()))
                .tag(String.valueOf(rotated.token().version())).build();
    }

    @Operation(operationId = "deleteToken", summary = "Delete a token",
            description = "Refused (409 TokenInUse) while a definition allows the token; disabling is the quick way to block it.")
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "The version the deletion is based on, e.g. \"3\".")
    @APIResponse(responseCode = "204", description = "Deleted.")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @DELETE
    @Path("{id}")
    public Response delete(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @PathParam("id") String id) {
        Caller caller = callers.current();
        tokens.delete(caller, id, ifMatch);
        return Response.noContent().build();
    }

    @Operation(operationId = "revokeTokens", summary = "Delete several tokens",
            description = "Deletes each token that no definition allows; in-use tokens are reported, not deleted.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TokenSchemas.Revoke.class)))
    @APIResponse(responseCode = "200", description = "What happened to each id.",
            content = @Content(schema = @Schema(implementation = TokenSchemas.RevokeResults.class)))
    @POST
    @Path("revoke")
    public Map<String, Object> revoke(String body) {
        Caller caller = callers.current();
        JsonBody parsed = JsonBody.parse(body, Set.of("ids"));
        List<String> ids = parsed.strings("ids").orElse(null);
        parsed.throwIfMalformed();
        if (ids == null) {
            throw new io.udapi.problem.ProblemException(io.udapi.problem.Problems.malformed("ids (an array of token ids) is required"));
        }
        return Map.of("results", tokens.revoke(caller, ids));
    }

    /** docs/tokens.md, "Secrets that leak scanners can find": secrets found in public code; the tokens they authenticate are disabled at once. */
    @Operation(operationId = "reportLeakedSecrets", summary = "Report leaked secrets",
            description = "For secret-scanning services: every token one of the secrets authenticates is disabled at once.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TokenSchemas.Leaked.class)))
    @APIResponse(responseCode = "200", description = "What happened for each secret; never the secrets themselves.",
            content = @Content(schema = @Schema(implementation = TokenSchemas.LeakResults.class)))
    @POST
    @Path("leaked")
    public Map<String, Object> leaked(String body) {
        Caller caller = callers.current();
        JsonBody parsed = JsonBody.parse(body, Set.of("secrets"));
        List<String> secrets = parsed.strings("secrets").orElse(null);
        parsed.throwIfMalformed();
        if (secrets == null) {
            throw new io.udapi.problem.ProblemException(io.udapi.problem.Problems.malformed("secrets (an array of strings) is required"));
        }
        return Map.of("results", leaks.report(caller, secrets));
    }

    static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** A token with its usage: the store's, merged with this instance's unflushed (docs/tokens.md, "Usage"). */
    private TokenView view(ApiToken token, Instant now) {
        return TokenView.of(token, now, usage.usageOf(token.id()));
    }
}
