package io.udapi.manage;

import io.udapi.audit.AuditEvent.ObjectType;
import io.udapi.audit.Versioned;
import io.udapi.definition.ApiDefinition;
import io.udapi.problem.Problem;
import io.udapi.problem.Problems;
import io.udapi.registry.Registry;
import io.udapi.route.RoutePattern;
import io.udapi.store.Repository;
import io.udapi.store.Store;
import io.udapi.token.ApiToken;
import io.udapi.token.TokenName;
import io.udapi.user.AdminUser;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What {@link AdminWrites} needs to know of one kind of object: where it is stored, how this instance's
 * registry learns and forgets it, how the audit trail names it, and which of its keys are unique across
 * instances (docs/architecture.md, "Admin writes").
 *
 * @param next the stamped next version of a changed object
 * @param auditId the object id of its audit events (a user's is its name as given, not the lower-cased id)
 * @param summary the audit summary of a plain create, update or delete
 */
record ObjectKind<T extends Versioned>(ObjectType type, Function<Store, Repository<T>> repository,
                                       BiFunction<Registry, String, Optional<T>> known,
                                       BiConsumer<Registry, T> publish, BiConsumer<Registry, String> forget,
                                       Next<T> next, Function<T, String> auditId, Function<T, String> summary,
                                       List<UniqueKey<T>> uniqueKeys) {

    /** The next version of a changed object: version + 1, modified by {@code user} at {@code at}. */
    interface Next<T> {
        T of(T changed, String user, Instant at);
    }

    /**
     * A key no two objects may hold, claimed through {@link UniqueKeys} before the store write.
     *
     * @param claimKind the claim kind in the store ({@link UniqueKeys#TOKEN_NAME}, {@link UniqueKeys#ROUTE})
     * @param of the object's key (case-folded name, route conflict key)
     * @param refusal the problem when another object keeps the key
     */
    record UniqueKey<T>(String claimKind, Function<T, String> of, Refusal<T> refusal) {
    }

    interface Refusal<T> {
        /**
         * @param problemId the id for the error body: null on create (no object has the new id yet)
         * @param holder the object that keeps the key, when this instance or the store can find it
         */
        Problem of(T wanted, String problemId, String holderId, Optional<T> holder);
    }

    static final ObjectKind<ApiToken> TOKEN = new ObjectKind<>(ObjectType.token, Store::tokens, Registry::token,
            Registry::putToken, Registry::removeToken, ApiToken::next, ApiToken::id, ApiToken::name,
            List.of(new UniqueKey<>(UniqueKeys.TOKEN_NAME, t -> TokenName.key(t.name()),
                    (wanted, problemId, holderId, holder) -> Problems.nameInUse(problemId, wanted.name()))));

    static final ObjectKind<ApiDefinition> DEFINITION = new ObjectKind<>(ObjectType.definition, Store::definitions,
            (registry, id) -> registry.definitions().get(id), Registry::putDefinition, Registry::removeDefinition,
            ApiDefinition::next, ApiDefinition::id, ApiDefinition::route,
            List.of(new UniqueKey<>(UniqueKeys.ROUTE, d -> RoutePattern.of(d.route()).conflictKey(),
                    (wanted, problemId, holderId, holder) -> Problems.routeInUse(problemId, wanted.route(), holderId,
                            holder.map(ApiDefinition::route).orElse(wanted.route())))));

    /** Users have no claim: the id is the case-folded name, so the store's create refuses a second one. */
    static final ObjectKind<AdminUser> USER = new ObjectKind<>(ObjectType.user, Store::users, Registry::user,
            Registry::putUser, Registry::removeUser, AdminUser::next, AdminUser::name, AdminUser::name, List.of());
}
