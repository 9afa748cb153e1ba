package io.udapi.manage;

import io.udapi.user.AdminUser;
import io.udapi.user.Permission;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An admin user as the API shows it: never the password or its hash. */
@Schema(name = "User", requiredProperties = {"name", "permissions", "createdBy", "createdAt", "lastModifiedBy",
        "lastModified", "version"})
public record UserView(String name,
                       @Schema(type = SchemaType.ARRAY, implementation = UserSchemas.Permission.class) List<String> permissions, String createdBy, Instant createdAt,
                       String lastModifiedBy, Instant lastModified, long version) {

    static UserView of(AdminUser u) {
        return new UserView(u.name(), wire(u), u.stamp().createdBy(), u.stamp().createdAt(),
                u.stamp().lastModifiedBy(), u.stamp().lastModified(), u.version());
    }

    static List<String> wire(AdminUser u) {
        return u.permissions().stream().sorted().map(Permission::wireName).toList();
    }
}
