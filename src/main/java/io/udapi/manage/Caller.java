package io.udapi.manage;

import io.udapi.user.AdminUser;
import io.udapi.user.Permission;
import java.util.Set;

/**
 * An authenticated admin, as far as a request needs to know it.
 *
 * @param passwordHash the stored hash the password was verified against: a long-lived response (the event
 *                     stream) ends once the user's hash is no longer this one (new password, or the user was
 *                     deleted and perhaps created again). Never shown: {@link #toString} leaves it out.
 */
public record Caller(String name, Set<Permission> permissions, String passwordHash) {
    public Caller {
        permissions = Set.copyOf(permissions);
    }

    static Caller of(AdminUser user) {
        return new Caller(user.name(), user.permissions(), user.passwordHash());
    }

    public boolean has(Permission permission) {
        return permissions.contains(permission);
    }

    @Override
    public String toString() {
        return "Caller[name=" + name + ", permissions=" + permissions + "]";
    }
}
