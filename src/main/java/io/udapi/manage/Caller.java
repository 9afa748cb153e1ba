package io.udapi.manage;

import io.udapi.user.Permission;
import java.util.Set;

/** An authenticated admin, as far as a request needs to know it. */
public record Caller(String name, Set<Permission> permissions) {
    public Caller {
        permissions = Set.copyOf(permissions);
    }
}
