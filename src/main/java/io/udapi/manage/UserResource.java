package io.udapi.manage;

import io.udapi.user.AdminUser;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
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

/** {@code /admin/v1/users} and {@code /admin/v1/me}. */
@Path("/admin/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
@Tag(name = "Users")
public class UserResource {

    private final UserAdmin users;
    private final AdminCaller callers;

    UserResource(UserAdmin users, AdminCaller callers) {
        this.users = users;
        this.callers = callers;
    }

    @Operation(operationId = "getMe", summary = "The signed-in admin user", description = "Any admin user may call it.")
    @APIResponse(responseCode = "200", description = "Name and permissions of the caller.",
            content = @Content(schema = @Schema(implementation = UserSchemas.Me.class)))
    @GET
    @Path("me")
    public Map<String, Object> me() {
        Caller caller = callers.current();
        return Map.of("name", caller.name(),
                "permissions", caller.permissions().stream().sorted().map(Permission::wireName).toList());
    }

    @Operation(operationId = "listUsers", summary = "List admin users")
    @APIResponse(responseCode = "200", description = "Every admin user, without passwords.",
            content = @Content(schema = @Schema(implementation = UserSchemas.UserList.class)))
    @GET
    @Path("users")
    public Listing<?> list() {
        List<UserView> all = users.list().stream().map(UserView::of).toList();
        return new Listing<>(all, all.size());
    }

    @Operation(operationId = "getUser", summary = "Get an admin user")
    @APIResponse(responseCode = "200", description = "The user, without the password.", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(schema = @Schema(implementation = UserView.class)))
    @GET
    @Path("users/{name}")
    public Response get(@PathParam("name") String name) {
        AdminUser user = users.get(name);
        return Response.ok(UserView.of(user)).tag(String.valueOf(user.version())).build();
    }

    @Operation(operationId = "createUser", summary = "Create an admin user")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = UserSchemas.Create.class)))
    @APIResponse(responseCode = "201", description = "The new user.",
            headers = {@Header(name = "Location", ref = "Location"), @Header(name = "ETag", ref = "ETag")},
            content = @Content(schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    @Path("users")
    public Response create(String body) {
        Caller caller = callers.current();
        AdminUser user = users.create(caller, JsonBody.parse(body, UserAdmin.FIELDS));
        return Response.created(URI.create("/admin/v1/users/" + user.name())).tag(String.valueOf(user.version()))
                .entity(UserView.of(user)).build();
    }

    @Operation(operationId = "updateUser", summary = "Change an admin user",
            description = "A JSON merge patch of password and permissions; a user cannot be renamed.")
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "The version the change is based on, e.g. \"3\".")
    @RequestBody(required = true, content = {
            @Content(mediaType = "application/merge-patch+json", schema = @Schema(implementation = UserSchemas.Patch.class)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserSchemas.Patch.class))})
    @APIResponse(responseCode = "200", description = "The changed user.", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @PATCH
    @Path("users/{name}")
    public Response patch(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @PathParam("name") String name,
                          String body) {
        Caller caller = callers.current();
        AdminUser user = users.patch(caller, name, ifMatch, JsonBody.parse(body, UserAdmin.FIELDS));
        return Response.ok(UserView.of(user)).tag(String.valueOf(user.version())).build();
    }

    @Operation(operationId = "deleteUser", summary = "Delete an admin user",
            description = "The last user holding users.manage cannot be deleted (409 LastManager).")
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "The version the deletion is based on, e.g. \"3\".")
    @APIResponse(responseCode = "204", description = "Deleted.")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @DELETE
    @Path("users/{name}")
    public Response delete(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @PathParam("name") String name) {
        Caller caller = callers.current();
        users.delete(caller, name, ifMatch);
        return Response.noContent().build();
    }
}
