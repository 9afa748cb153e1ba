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
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /admin/v1/tokens}: thin; parsing of bodies and every rule live in {@link TokenAdmin}. */
@Path("/admin/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
public class TokenResource {

    private final TokenAdmin tokens;
    private final LeakReports leaks;
    private final AdminCaller callers;
    private final UsageFlusher usage;

    TokenResource(TokenAdmin tokens, LeakReports leaks, AdminCaller callers, UsageFlusher usage) {
        this.usage = usage;
        this.tokens = tokens;
        this.leaks = leaks;
        this.callers = callers;
    }

    @GET
    public Listing<?> list(@QueryParam("name") String name, @QueryParam("isDisabled") String disabled,
                                    @QueryParam("expired") String expired, @QueryParam("createdBy") String createdBy,
                                    @QueryParam("sort") String sort, @QueryParam("page") String page,
                                    @QueryParam("size") String size) {
        TokenAdmin.Filter filter = new TokenAdmin.Filter(emptyToNull(name),
                QueryParams.bool("isDisabled", disabled).orElse(null), QueryParams.bool("expired", expired).orElse(null),
                emptyToNull(createdBy));
        ListQuery.Page<TokenView> result = tokens.list(filter, sort, page, size).map(this::view);
        return new Listing<>(result.items(), result.total());
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        ApiToken token = tokens.get(id);
        return Response.ok(view(token)).tag(String.valueOf(token.version())).build();
    }

    @POST
    public Response create(String body) {
        Caller caller = callers.current();
        TokenAdmin.Created created = tokens.create(caller, JsonBody.parse(body, TokenAdmin.CREATE_FIELDS));
        return Response.created(URI.create("/admin/v1/tokens/" + created.token().id()))
                .tag(String.valueOf(created.token().version()))
                .entity(TokenView.of(created.token()).withSecret(created.secret())).build();
    }

    @PATCH
    @Path("{id}")
    public Response patch(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @PathParam("id") String id, String body) {
        Caller caller = callers.current();
        ApiToken token = tokens.patch(caller, id, ifMatch, JsonBody.parse(body, TokenAdmin.PATCH_FIELDS));
        return Response.ok(view(token)).tag(String.valueOf(token.version())).build();
    }

    @POST
    @Path("{id}/rotate")
    public Response rotate(@PathParam("id") String id,
                           String body) {
        Caller caller = callers.current();
        JsonBody parsed = body == null || body.isBlank() ? null : JsonBody.parse(body, Set.of("secret"));
        TokenAdmin.Created rotated = tokens.rotate(caller, id, parsed);
        return Response.ok(view(rotated.token()).withSecret(rotated.secret()))
                .tag(String.valueOf(rotated.token().version())).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @PathParam("id") String id) {
        Caller caller = callers.current();
        tokens.delete(caller, id, ifMatch);
        return Response.noContent().build();
    }

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

    /** SPEC 6.4: secrets found in public code; the tokens they authenticate are disabled at once. */
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
    private TokenView view(ApiToken token) {
        return TokenView.of(token, usage.usageOf(token.id()));
    }
}
