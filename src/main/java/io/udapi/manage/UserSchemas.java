package io.udapi.manage;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The request and list bodies of {@code /admin/v1/users} and {@code /admin/v1/me} as the management API's
 * OpenAPI document shows them (docs/management-api.md). Documentation only, like {@link TokenSchemas}.
 */
final class UserSchemas {

    private UserSchemas() {
    }

    @Schema(name = "Permission", type = SchemaType.STRING, enumeration = {"tokens.read", "tokens.write", "tokens.delete", "definitions.read",
            "definitions.write", "definitions.delete", "events.read", "users.manage"})
    static final class Permission {
        private Permission() {
        }
    }

    @Schema(name = "UserCreate", description = "A new admin user.", requiredProperties = {"name", "password"})
    record Create(
            @Schema(description = "1 to 50 characters from A-Z a-z 0-9 - _; unique, case-insensitively. A user cannot "
                    + "be renamed.", pattern = "^[A-Za-z0-9_-]{1,50}$") String name,
            @Schema(description = "Write-only; at least 12 characters.", writeOnly = true, minLength = 12) String password,
            @Schema(description = "Default: none.", type = SchemaType.ARRAY, implementation = Permission.class) List<String> permissions) {
    }

    @Schema(name = "UserPatch", description = "A JSON merge patch of the password and the permissions.")
    record Patch(
            @Schema(description = "Write-only; at least 12 characters.", writeOnly = true, minLength = 12) String password,
            @Schema(description = "The new set; [] for none (not null). The last user with users.manage keeps it.",
                    type = SchemaType.ARRAY, implementation = Permission.class) List<String> permissions) {
    }

    @Schema(name = "UserList", requiredProperties = {"items", "total"})
    record UserList(List<UserView> items, long total) {
    }

    @Schema(name = "Me", requiredProperties = {"name", "permissions"})
    record Me(String name,
              @Schema(type = SchemaType.ARRAY, implementation = Permission.class) List<String> permissions) {
    }
}
