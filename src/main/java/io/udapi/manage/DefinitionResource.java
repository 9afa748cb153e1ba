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

/** {@code /admin/v1/definitions}: thin; every rule lives in {@link DefinitionAdmin}. */
@Path("/admin/v1/definitions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
@Tag(name = "Definitions")
public class DefinitionResource {

    private final DefinitionAdmin definitions;
    private final ApiDocuments documents;
    private final AdminCaller callers;

    DefinitionResource(DefinitionAdmin definitions, ApiDocuments documents, AdminCaller callers) {
        this.definitions = definitions;
        this.documents = documents;
        this.callers = callers;
    }

    /** docs/management-api.md: the OpenAPI 3.1 document of every definition, or of those {@code tokenId} may call. */
    @Operation(operationId = "getDefinitionsOpenApi", summary = "OpenAPI document of the user-defined APIs",
            description = "An OpenAPI 3.1 document with one path per definition under /api/custom/ (docs/management-api.md).")
    @Parameter(name = "tokenId", in = ParameterIn.QUERY, description = "Only the definitions this token may call.")
    @APIResponse(responseCode = "200", description = "The OpenAPI 3.1 document (JSON).",
            content = @Content(schema = @Schema(type = SchemaType.OBJECT, description = "An OpenAPI 3.1 document.")))
    @GET
    @Path("openapi")
    public Response openApi(@QueryParam("tokenId") String tokenId) {
        return Response.ok(documents.openApi(TokenResource.emptyToNull(tokenId)))
                .header("Content-Disposition", "inline; filename=\"udapi-openapi.json\"").build();
    }

    @Operation(operationId = "listDefinitions", summary = "List definitions",
            description = "Filtered, sorted and paged (default sort: route).")
    @Parameter(name = "route", in = ParameterIn.QUERY, description = "Substring of the route.")
    @Parameter(name = "scriptName", in = ParameterIn.QUERY, description = "The script it runs.")
    @Parameter(name = "tokenId", in = ParameterIn.QUERY, description = "Only definitions that allow this token.")
    @Parameter(name = "sort", in = ParameterIn.QUERY, description = "A field name, - first for descending.",
            schema = @Schema(type = SchemaType.STRING, defaultValue = "route"))
    @Parameter(name = "page", in = ParameterIn.QUERY, schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
    @Parameter(name = "size", in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "1000", defaultValue = "50"))
    @APIResponse(responseCode = "200", description = "One page of definitions.",
            content = @Content(schema = @Schema(implementation = DefinitionSchemas.DefinitionList.class)))
    @GET
    public Listing<?> list(@QueryParam("route") String route, @QueryParam("scriptName") String scriptName,
                                    @QueryParam("tokenId") String tokenId, @QueryParam("sort") String sort,
                                    @QueryParam("page") String page, @QueryParam("size") String size) {
        DefinitionAdmin.Filter filter = new DefinitionAdmin.Filter(TokenResource.emptyToNull(route),
                TokenResource.emptyToNull(scriptName), TokenResource.emptyToNull(tokenId));
        ListQuery.Page<DefinitionView> result = definitions.list(filter, sort, page, size).map(DefinitionView::of);
        return new Listing<>(result.items(), result.total());
    }

    @Operation(operationId = "getDefinition", summary = "Get a definition")
    @APIResponse(responseCode = "200", description = "The definition.", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(schema = @Schema(implementation = DefinitionView.class)))
    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        ApiDefinition definition = definitions.get(id);
        return Response.ok(DefinitionView.of(definition)).tag(String.valueOf(definition.version())).build();
    }

    @Operation(operationId = "createDefinition", summary = "Create a definition",
            description = "route and actionMeta.scriptName are required.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DefinitionSchemas.Write.class)))
    @APIResponse(responseCode = "201", description = "The new definition.",
            headers = {@Header(name = "Location", ref = "Location"), @Header(name = "ETag", ref = "ETag")},
            content = @Content(schema = @Schema(implementation = DefinitionView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    public Response create(String body) {
        Caller caller = callers.current();
        ApiDefinition created = definitions.create(caller, JsonBody.parse(body, DefinitionAdmin.FIELDS));
        return Response.created(URI.create("/admin/v1/definitions/" + created.id()))
                .tag(String.valueOf(created.version())).entity(DefinitionView.of(created)).build();
    }

    @Operation(operationId = "updateDefinition", summary = "Change a definition", description = "A JSON merge patch.")
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "The version the change is based on, e.g. \"3\".")
    @RequestBody(required = true, content = {
            @Content(mediaType = "application/merge-patch+json", schema = @Schema(implementation = DefinitionSchemas.Write.class)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DefinitionSchemas.Write.class))})
    @APIResponse(responseCode = "200", description = "The changed definition.", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(schema = @Schema(implementation = DefinitionView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @PATCH
    @Path("{id}")
    public Response patch(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @PathParam("id") String id, String body) {
        Caller caller = callers.current();
        ApiDefinition patched = definitions.patch(caller, id, ifMatch, JsonBody.parse(body, DefinitionAdmin.FIELDS));
        return Response.ok(DefinitionView.of(patched)).tag(String.valueOf(patched.version())).build();
    }

    @Operation(operationId = "deleteDefinition", summary = "Delete a definition")
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "The version the deletion is based on, e.g. \"3\".")
    @APIResponse(responseCode = "204", description = "Deleted.")
    @DELETE
    @Path("{id}")
    public Response delete(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @PathParam("id") String id) {
        Caller caller = callers.current();
        definitions.delete(caller, id, ifMatch);
        return Response.noContent().build();
    }
}
