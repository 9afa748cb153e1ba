package io.udapi.manage;

import io.udapi.definition.ApiDefinition;
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
import java.util.Map;

/** {@code /admin/v1/definitions}: thin; every rule lives in {@link DefinitionAdmin}. */
@Path("/admin/v1/definitions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json", MediaType.WILDCARD})
public class DefinitionResource {

    private final DefinitionAdmin definitions;
    private final AdminAuthenticator auth;

    DefinitionResource(DefinitionAdmin definitions, AdminAuthenticator auth) {
        this.definitions = definitions;
        this.auth = auth;
    }

    @GET
    public Listing<?> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                    @QueryParam("route") String route, @QueryParam("scriptName") String scriptName,
                                    @QueryParam("tokenId") String tokenId, @QueryParam("sort") String sort,
                                    @QueryParam("page") String page, @QueryParam("size") String size) {
        auth.require(authorization, Permission.DEFINITIONS_READ);
        DefinitionAdmin.Filter filter = new DefinitionAdmin.Filter(TokenResource.emptyToNull(route),
                TokenResource.emptyToNull(scriptName), TokenResource.emptyToNull(tokenId));
        ListQuery.Page<DefinitionView> result = definitions.list(filter, sort, page, size).map(DefinitionView::of);
        return new Listing<>(result.items(), result.total());
    }

    @GET
    @Path("{id}")
    public Response get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        auth.require(authorization, Permission.DEFINITIONS_READ);
        ApiDefinition definition = definitions.get(id);
        return Response.ok(DefinitionView.of(definition)).tag(String.valueOf(definition.version())).build();
    }

    @POST
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        Caller caller = auth.require(authorization, Permission.DEFINITIONS_WRITE);
        ApiDefinition created = definitions.create(caller, JsonBody.parse(body, DefinitionAdmin.FIELDS));
        return Response.created(URI.create("/admin/v1/definitions/" + created.id()))
                .tag(String.valueOf(created.version())).entity(DefinitionView.of(created)).build();
    }

    @PATCH
    @Path("{id}")
    public Response patch(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @PathParam("id") String id, String body) {
        Caller caller = auth.require(authorization, Permission.DEFINITIONS_WRITE);
        ApiDefinition patched = definitions.patch(caller, id, ifMatch, JsonBody.parse(body, DefinitionAdmin.FIELDS));
        return Response.ok(DefinitionView.of(patched)).tag(String.valueOf(patched.version())).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @PathParam("id") String id) {
        Caller caller = auth.require(authorization, Permission.DEFINITIONS_DELETE);
        definitions.delete(caller, id, ifMatch);
        return Response.noContent().build();
    }
}
