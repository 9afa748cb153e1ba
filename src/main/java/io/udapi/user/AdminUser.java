package io.udapi.user;

import io.udapi.audit.Stamp;
import io.udapi.audit.Versioned;
import io.udapi.token.TokenName;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An operator of the management API. Names follow the token-name rules and are unique
 * case-insensitively, so the id is the lower-cased name.
 *
 * @param passwordHash Argon2id PHC string of a password of at least 12 characters
 */
public record AdminUser(String name, String passwordHash, Set<Permission> permissions, Stamp stamp, long version)
        implements Versioned {

    public static final int MIN_PASSWORD_LENGTH = 12;

    /**
     * Whether {@code password} has at least {@link #MIN_PASSWORD_LENGTH} characters, counted as Unicode code
     * points: six emoji are six characters, not the twelve UTF-16 units {@link String#length()} counts.
     */
    public static boolean longEnough(String password) {
        return password != null && password.codePointCount(0, password.length()) >= MIN_PASSWORD_LENGTH;
    }

    public AdminUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(stamp, "stamp");
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
    }

    @Override
    public String id() {
        return TokenName.key(name);
    }

    /**
     * A user deleted and created again under the same name starts at version 1 again, and its creation time comes
     * from the clock of whichever instance created it, so incarnations cannot be ordered across instances. A copy
     * of another incarnation therefore always replaces: every caller passes a copy it has just read from the store
     * or written to it, which is the current one (docs/security.md). Within one incarnation, the higher version.
     */
    @Override
    public boolean supersedes(Versioned other) {
        if (other instanceof AdminUser cached && !sameIncarnation(cached)) {
            return true;
        }
        return Versioned.super.supersedes(other);
    }

    /** Whether this copy is an earlier revision of {@code other}'s incarnation: the only copy a cache refuses. */
    public boolean isOlderRevisionOf(AdminUser other) {
        return sameIncarnation(other) && version < other.version;
    }

    private boolean sameIncarnation(AdminUser other) {
        return stamp.createdAt().equals(other.stamp.createdAt()) && stamp.createdBy().equals(other.stamp.createdBy());
    }

    public boolean has(Permission permission) {
        return permissions.contains(permission);
    }

    public AdminUser with(String newHash, Set<Permission> newPermissions) {
        return new AdminUser(name, newHash, newPermissions, stamp, version);
    }

    public AdminUser next(String user, Instant at) {
        return new AdminUser(name, passwordHash, permissions, stamp.modified(user, at), version + 1);
    }
}
