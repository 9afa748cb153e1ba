package io.udapi.manage;

import io.udapi.user.AdminUser;
import io.udapi.user.Permission;
import java.time.Instant;
import java.util.List;

/** An admin user as the API shows it: never the password or its hash. */
public record UserView(String name, List<String> permissions, String createdBy, Instant createdAt,
                       String lastModifiedBy, Instant lastModified, long version) {

    static UserView of(AdminUser u) {
        return new UserView(u.name(), wire(u), u.stamp().createdBy(), u.stamp().createdAt(),
                u.stamp().lastModifiedBy(), u.stamp().lastModified(), u.version());
    }

    static List<String> wire(AdminUser u) {
        return u.permissions().stream().sorted().map(Permission::wireName).toList();
    }
}
