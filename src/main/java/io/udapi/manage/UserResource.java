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

/** {@code /admin/v1/users} and {@code /admin/v1/me}. */
@Path("/admin/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
public class UserResource {

    private final UserAdmin users;
    private final AdminCaller callers;

    UserResource(UserAdmin users, AdminCaller callers) {
        this.users = users;
        this.callers = callers;
    }

    @GET
    @Path("me")
    public Map<String, Object> me() {
        Caller caller = callers.current();
        return Map.of("name", caller.name(),
                "permissions", caller.permissions().stream().sorted().map(Permission::wireName).toList());
    }

    @GET
    @Path("users")
    public Listing<?> list() {
        List<UserView> all = users.list().stream().map(UserView::of).toList();
        return new Listing<>(all, all.size());
    }

    @GET
    @Path("users/{name}")
    public Response get(@PathParam("name") String name) {
        AdminUser user = users.get(name);
        return Response.ok(UserView.of(user)).tag(String.valueOf(user.version())).build();
    }

    @POST
    @Path("users")
    public Response create(String body) {
        Caller caller = callers.current();
        AdminUser user = users.create(caller, JsonBody.parse(body, UserAdmin.FIELDS));
        return Response.created(URI.create("/admin/v1/users/" + user.name())).tag(String.valueOf(user.version()))
                .entity(UserView.of(user)).build();
    }

    @PATCH
    @Path("users/{name}")
    public Response patch(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @PathParam("name") String name,
                          String body) {
        Caller caller = callers.current();
        AdminUser user = users.patch(caller, name, ifMatch, JsonBody.parse(body, UserAdmin.FIELDS));
        return Response.ok(UserView.of(user)).tag(String.valueOf(user.version())).build();
    }

    @DELETE
    @Path("users/{name}")
    public Response delete(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @PathParam("name") String name) {
        Caller caller = callers.current();
        users.delete(caller, name, ifMatch);
        return Response.noContent().build();
    }
}
