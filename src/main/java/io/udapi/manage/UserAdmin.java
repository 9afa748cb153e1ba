package io.udapi.manage;

import io.udapi.audit.Stamp;
import io.udapi.problem.Problem;
import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import io.udapi.registry.Registry;
import io.udapi.store.Store;
import io.udapi.store.error.VersionConflictException;
import io.udapi.token.TokenName;
import io.udapi.user.AdminUser;
import io.udapi.user.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Admin users (docs/concepts.md, "Admin users"): names follow the token-name rules, passwords have at least
 * 12 characters and are kept as Argon2id hashes, and the last holder of {@code users.manage} can be neither
 * deleted nor demoted, so the service can always be administered.
 *
 * <p>The last-manager rule holds across instances: a demotion or deletion of a manager holds the one
 * cluster-wide {@link ClusterMutex} {@code users/managers}, re-reads the users from the store (not the
 * registry, which may not have seen another instance's demotion yet) and writes before releasing it.
 */
@ApplicationScoped
public class UserAdmin {

    static final Set<String> FIELDS = Set.of("name", "password", "permissions");

    private final AdminWrites writes;
    private final Store store;
    private final Registry registry;
    /**
     * Argon2id, bounded ({@link WriteArgon2}): runs before {@link AdminWrites} takes the write lock, which
     * serialises every admin write.
     */
    private final UnaryOperator<String> hashPassword;
    private final Clock clock;

    @Inject
    UserAdmin(AdminWrites writes, Store store, Registry registry, WriteArgon2 argon2, Clock clock) {
        this(writes, store, registry, argon2::hash, clock);
    }

    /** @param hashPassword the password hash function (tests pass one they can hold) */
    UserAdmin(AdminWrites writes, Store store, Registry registry, UnaryOperator<String> hashPassword, Clock clock) {
        this.writes = writes;
        this.store = store;
        this.registry = registry;
        this.hashPassword = hashPassword;
        this.clock = clock;
    }

    /** A valid create body; the password is plain until {@link #create} hashes it, before any lock. */
    record NewUser(String name, String password, Set<Permission> permissions) {
    }

    /** A valid merge patch: an absent field keeps its value; a user cannot be renamed. */
    record UserPatch(Optional<String> password, Optional<Set<Permission>> permissions) {
    }

    public List<AdminUser> list() {
        return registry.users().stream().sorted(Comparator.comparing(AdminUser::id)).toList();
    }

    public AdminUser get(String name) {
        return registry.user(TokenName.key(name)).orElseThrow(() -> new ProblemException(Problems.notFound("user", name)));
    }

    public AdminUser create(Caller caller, JsonBody body) {
        NewUser request = readCreate(body).orThrow();
        String hash = hashPassword.apply(request.password());
        return writes.write(caller, ObjectKind.USER, () -> {
            if (registry.user(TokenName.key(request.name())).isPresent()) {
                throw new ProblemException(Problems.nameInUse(TokenName.key(request.name()), request.name()));
            }
            return new AdminWrites.Change.Create<>(new AdminUser(request.name(), hash, request.permissions(),
                    Stamp.created(caller.name(), clock.instant()), 1));
        });
    }

    static Validated<NewUser> readCreate(JsonBody body) {
        Optional<String> name = body.string("name");
        Optional<String> password = body.string("password");
        Optional<Set<Permission>> permissions = permissions(body);
        if (!body.malformations().isEmpty()) {
            return Validated.refused(body.malformations());
        }
        List<Problem> problems = new ArrayList<>();
        TokenName.validate(name.orElse(null)).ifPresent(m -> problems.add(Problems.invalid(Reason.InvalidName, null, m)));
        checkPassword(password.orElse(null), null).ifPresent(problems::add);
        return Validated.of(problems, () -> new NewUser(name.get(), password.get(), permissions.orElse(Set.of())));
    }

    /** Merge patch of {@code password} and {@code permissions}; every problem of the body is answered at once. */
    public AdminUser patch(Caller caller, String name, String ifMatch, JsonBody body) {
        UserPatch request = readPatch(body, TokenName.key(name)).orThrow();
        Optional<String> hashed = request.password().map(hashPassword); // Argon2 before the write lock
        AdminUser seen = get(name);
        Preconditions.checkIfMatch(ifMatch, seen);
        if (!demotes(seen, request.permissions())) {
            return writes.write(caller, ObjectKind.USER, () -> patched(name, ifMatch, request, hashed, false));
        }
        return writes.write(caller, ObjectKind.USER, managersGuard(seen),
                () -> patched(name, ifMatch, request, hashed, true));
    }

    /** @param id the user's id, for the problems */
    static Validated<UserPatch> readPatch(JsonBody body, String id) {
        Optional<String> password = body.string("password");
        Optional<Set<Permission>> permissions = permissions(body);
        if (!body.malformations().isEmpty()) {
            return Validated.refused(body.malformations());
        }
        List<Problem> problems = new ArrayList<>();
        if (body.has("name")) {
            problems.add(Problems.invalid(Reason.InvalidName, id, "a user cannot be renamed; create a new user instead"));
        }
        if (body.has("password")) {
            checkPassword(password.orElse(null), id).ifPresent(problems::add);
        }
        if (body.has("permissions") && permissions.isEmpty()) {
            problems.add(Problems.malformed("permissions cannot be null; use [] for none"));
        }
        return Validated.of(problems, () -> new UserPatch(password, permissions));
    }

    private static boolean demotes(AdminUser user, Optional<Set<Permission>> permissions) {
        return user.has(Permission.USERS_MANAGE) && permissions.isPresent()
                && !permissions.get().contains(Permission.USERS_MANAGE);
    }

    /** @param managersChecked whether the caller holds the managers mutex and checked the store */
    private AdminWrites.Change<AdminUser> patched(String name, String ifMatch, UserPatch request,
                                                  Optional<String> hashed, boolean managersChecked) {
        AdminUser current = get(name);
        Preconditions.checkIfMatch(ifMatch, current);
        if (demotes(current, request.permissions()) && !managersChecked) {
            // became a manager (synced from another instance) since the check outside the lock
            throw new VersionConflictException("user " + current.id() + " changed while it was being patched");
        }
        return AdminWrites.Change.update(current, current.with(hashed.orElse(current.passwordHash()),
                request.permissions().orElse(current.permissions())));
    }

    public void delete(Caller caller, String name, String ifMatch) {
        AdminUser seen = get(name);
        Preconditions.checkIfMatch(ifMatch, seen);
        if (!seen.has(Permission.USERS_MANAGE)) {
            writes.write(caller, ObjectKind.USER, () -> deletion(name, ifMatch, false));
            return;
        }
        writes.write(caller, ObjectKind.USER, managersGuard(seen), () -> deletion(name, ifMatch, true));
    }

    private AdminWrites.Change<AdminUser> deletion(String name, String ifMatch, boolean managersChecked) {
        AdminUser current = get(name);
        Preconditions.checkIfMatch(ifMatch, current);
        if (current.has(Permission.USERS_MANAGE) && !managersChecked) {
            throw new VersionConflictException("user " + current.id() + " changed while it was being deleted");
        }
        return new AdminWrites.Change.Delete<>(current);
    }

    /** The last-manager rule across instances, checked holding the one {@code users/managers} mutex. */
    private AdminWrites.Guard managersGuard(AdminUser user) {
        return new AdminWrites.Guard(ClusterMutex.USERS, ClusterMutex.MANAGERS, () -> checkNotLastManagerInStore(user));
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
        if (!AdminUser.longEnough(password)) {
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
}
