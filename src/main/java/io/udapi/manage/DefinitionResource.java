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
@Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
public class DefinitionResource {

    private final DefinitionAdmin definitions;
    private final ApiDocuments documents;
    private final AdminCaller callers;

    DefinitionResource(DefinitionAdmin definitions, ApiDocuments documents, AdminCaller callers) {
        this.definitions = definitions;
        this.documents = documents;
        this.callers = callers;
    }

    /** SPEC 6.5: the OpenAPI 3.1 document of every definition, or of those {@code tokenId} may call. */
    @GET
    @Path("openapi")
    public Response openApi(@QueryParam("tokenId") String tokenId) {
        return Response.ok(documents.openApi(TokenResource.emptyToNull(tokenId)))
                .header("Content-Disposition", "inline; filename=\"udapi-openapi.json\"").build();
    }

    @GET
    public Listing<?> list(@QueryParam("route") String route, @QueryParam("scriptName") String scriptName,
                                    @QueryParam("tokenId") String tokenId, @QueryParam("sort") String sort,
                                    @QueryParam("page") String page, @QueryParam("size") String size) {
        DefinitionAdmin.Filter filter = new DefinitionAdmin.Filter(TokenResource.emptyToNull(route),
                TokenResource.emptyToNull(scriptName), TokenResource.emptyToNull(tokenId));
        ListQuery.Page<DefinitionView> result = definitions.list(filter, sort, page, size).map(DefinitionView::of);
        return new Listing<>(result.items(), result.total());
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        ApiDefinition definition = definitions.get(id);
        return Response.ok(DefinitionView.of(definition)).tag(String.valueOf(definition.version())).build();
    }

    @POST
    public Response create(String body) {
        Caller caller = callers.current();
        ApiDefinition created = definitions.create(caller, JsonBody.parse(body, DefinitionAdmin.FIELDS));
        return Response.created(URI.create("/admin/v1/definitions/" + created.id()))
                .tag(String.valueOf(created.version())).entity(DefinitionView.of(created)).build();
    }

    @PATCH
    @Path("{id}")
    public Response patch(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @PathParam("id") String id, String body) {
        Caller caller = callers.current();
        ApiDefinition patched = definitions.patch(caller, id, ifMatch, JsonBody.parse(body, DefinitionAdmin.FIELDS));
        return Response.ok(DefinitionView.of(patched)).tag(String.valueOf(patched.version())).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @PathParam("id") String id) {
        Caller caller = callers.current();
        definitions.delete(caller, id, ifMatch);
        return Response.noContent().build();
    }
}
