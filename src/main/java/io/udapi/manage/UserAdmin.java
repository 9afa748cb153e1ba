package io.udapi.manage;

import io.udapi.audit.AuditEvent.Action;
import io.udapi.audit.AuditEvent.ObjectType;
import io.udapi.audit.Stamp;
import io.udapi.problem.Problem;
import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import io.udapi.registry.Registry;
import io.udapi.secret.SecretHasher;
import io.udapi.store.Store;
import io.udapi.store.error.VersionConflictException;
import io.udapi.token.TokenName;
import io.udapi.user.AdminUser;
import io.udapi.user.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Admin users (SPEC 3): names follow the token-name rules, passwords have at least 12 characters and
 * are kept as Argon2id hashes, and the last holder of {@code users.manage} can be neither deleted nor
 * demoted, so the service can always be administered.
 *
 * <p>The last-manager rule holds across instances: a demotion or deletion of a manager holds the one
 * cluster-wide {@link ClusterMutex} {@code users/managers}, re-reads the users from the store (not the
 * registry, which may not have seen another instance's demotion yet) and writes before releasing it.
 */
@ApplicationScoped
public class UserAdmin {

    static final Set<String> FIELDS = Set.of("name", "password", "permissions");

    private final Store store;
    private final Registry registry;
    private final SecretHasher hasher;
    private final AuditTrail audit;
    private final WriteLock writeLock;
    private final Clock clock;
    private final ClusterMutex mutex;

    UserAdmin(Store store, Registry registry, SecretHasher hasher, AuditTrail audit, WriteLock writeLock, Clock clock,
              ClusterMutex mutex) {
        this.mutex = mutex;
        this.store = store;
        this.registry = registry;
        this.hasher = hasher;
        this.audit = audit;
        this.writeLock = writeLock;
        this.clock = clock;
    }

    public List<AdminUser> list() {
        return registry.users().stream().sorted(Comparator.comparing(AdminUser::id)).toList();
    }

    public AdminUser get(String name) {
        return registry.user(TokenName.key(name)).orElseThrow(() -> new ProblemException(Problems.notFound("user", name)));
    }

    public AdminUser create(Caller caller, JsonBody body) {
        Optional<String> name = body.string("name");
        Optional<String> password = body.string("password");
        Optional<Set<Permission>> permissions = permissions(body);
        body.throwIfMalformed();
        List<Problem> problems = new ArrayList<>();
        TokenName.validate(name.orElse(null)).ifPresent(m -> problems.add(Problems.invalid(Reason.InvalidName, null, m)));
        checkPassword(password.orElse(null), null).ifPresent(problems::add);
        throwIf(problems);
        String hash = hasher.hash(password.get()); // Argon2 before the write lock, which serialises every write
        return writeLock.call(() -> {
            if (registry.user(TokenName.key(name.get())).isPresent()) {
                throw new ProblemException(Problems.nameInUse(TokenName.key(name.get()), name.get()));
            }
            AdminUser user = new AdminUser(name.get(), hash, permissions.orElse(Set.of()),
                    Stamp.created(caller.name(), clock.instant()), 1);
            store.users().create(user);
            registry.putUser(user);
            audit.record(caller.name(), Action.created, ObjectType.user, user.name(), user.name());
            return user;
        });
    }

    /** Merge patch of {@code password} and {@code permissions}; a user cannot be renamed. */
    public AdminUser patch(Caller caller, String name, String ifMatch, JsonBody body) {
        Optional<String> password = body.string("password");
        Optional<Set<Permission>> permissions = permissions(body);
        body.throwIfMalformed();
        if (body.has("name")) {
            throw new ProblemException(Problems.invalid(Reason.InvalidName, TokenName.key(name),
                    "a user cannot be renamed; create a new user instead"));
        }
        if (body.has("password")) {
            checkPassword(password.orElse(null), TokenName.key(name)).ifPresent(p -> {
                throw new ProblemException(p);
            });
        }
        if (body.has("permissions") && permissions.isEmpty()) {
            throw new ProblemException(Problems.malformed("permissions cannot be null; use [] for none"));
        }
        Optional<String> hashed = password.map(hasher::hash); // Argon2 before the write lock
        AdminUser seen = get(name);
        Preconditions.checkIfMatch(ifMatch, seen);
        if (!demotes(seen, permissions)) {
            return writeLock.call(() -> patchLocked(caller, name, ifMatch, permissions, hashed, false));
        }
        return mutex.holding(ClusterMutex.USERS, ClusterMutex.MANAGERS, held -> {
            checkNotLastManagerInStore(seen);
            held.confirm();
            return writeLock.call(() -> patchLocked(caller, name, ifMatch, permissions, hashed, true));
        });
    }

    private static boolean demotes(AdminUser user, Optional<Set<Permission>> permissions) {
        return user.has(Permission.USERS_MANAGE) && permissions.isPresent()
                && !permissions.get().contains(Permission.USERS_MANAGE);
    }

    /** @param managersChecked whether the caller holds the managers mutex and checked the store */
    private AdminUser patchLocked(Caller caller, String name, String ifMatch, Optional<Set<Permission>> permissions,
                                  Optional<String> hashed, boolean managersChecked) {
        AdminUser current = get(name);
        Preconditions.checkIfMatch(ifMatch, current);
        Set<Permission> newPermissions = permissions.orElse(current.permissions());
        if (demotes(current, permissions) && !managersChecked) {
            // became a manager (synced from another instance) since the check outside the lock
            throw new VersionConflictException("user " + current.id() + " changed while it was being patched");
        }
        String newHash = hashed.orElse(current.passwordHash());
        AdminUser changed = current.with(newHash, newPermissions);
        if (changed.equals(current)) {
            return current;
        }
        AdminUser next = changed.next(caller.name(), clock.instant());
        store.users().update(next);
        registry.putUser(next);
        audit.record(caller.name(), Action.updated, ObjectType.user, next.name(), next.name());
        return next;
    }

    public void delete(Caller caller, String name, String ifMatch) {
        AdminUser seen = get(name);
        Preconditions.checkIfMatch(ifMatch, seen);
        if (!seen.has(Permission.USERS_MANAGE)) {
            writeLock.run(() -> deleteLocked(caller, name, ifMatch, false));
            return;
        }
        mutex.holding(ClusterMutex.USERS, ClusterMutex.MANAGERS, held -> {
            checkNotLastManagerInStore(seen);
            held.confirm();
            writeLock.run(() -> deleteLocked(caller, name, ifMatch, true));
            return null;
        });
    }

    private void deleteLocked(Caller caller, String name, String ifMatch, boolean managersChecked) {
        AdminUser current = get(name);
        Preconditions.checkIfMatch(ifMatch, current);
        if (current.has(Permission.USERS_MANAGE) && !managersChecked) {
            throw new VersionConflictException("user " + current.id() + " changed while it was being deleted");
        }
        store.users().delete(current.id(), current.version());
        registry.removeUser(current.id());
        audit.record(caller.name(), Action.deleted, ObjectType.user, current.name(), current.name());
    }

    /**
     * Another user holding {@code users.manage} must remain, as the store (every instance's writes) has it:
     * called holding the managers mutex, so no other instance demotes or deletes a manager meanwhile.
     */
    private void checkNotLastManagerInStore(AdminUser user) {
        boolean anotherManager = store.users().list().stream()
                .anyMatch(u -> !u.id().equals(user.id()) && u.has(Permission.USERS_MANAGE));
        if (!anotherManager) {
            throw new ProblemException(Problems.lastManager(user.name()));
        }
    }

    private static Optional<Problem> checkPassword(String password, String id) {
        if (password == null || password.length() < AdminUser.MIN_PASSWORD_LENGTH) {
            return Optional.of(Problems.invalid(Reason.InvalidPassword, id,
                    "password must have at least " + AdminUser.MIN_PASSWORD_LENGTH + " characters"));
        }
        return Optional.empty();
    }

    private static Optional<Set<Permission>> permissions(JsonBody body) {
        Optional<List<String>> names = body.strings("permissions");
        if (names.isEmpty()) {
            return Optional.empty();
        }
        Set<Permission> result = EnumSet.noneOf(Permission.class);
        for (String name : names.get()) {
            Optional<Permission> permission = Permission.fromWire(name);
            if (permission.isEmpty()) {
                body.malformed("unknown permission '" + name + "'");
            }
            permission.ifPresent(result::add);
        }
        return Optional.of(result);
    }

    private static void throwIf(List<Problem> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(problems);
        }
    }
}
