package io.udapi.manage;

import io.udapi.audit.AuditEvent.Action;
import io.udapi.audit.Versioned;
import io.udapi.problem.ProblemException;
import io.udapi.registry.Registry;
import io.udapi.store.Repository;
import io.udapi.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one write path of the management API, for every kind of object (docs/architecture.md, "Admin writes"):
 * under this instance's {@link WriteLock}, decide the change from the current state, claim the unique keys it
 * takes, write the store, update the registry, record the audit event, and release the keys it gives up; a
 * claim is released again when the store write fails, so a failed write leaves nothing behind.
 *
 * <p>What comes in is already parsed, validated and hashed: this class has no hasher, so Argon2 cannot run
 * under the write lock, which serialises every admin write of the instance. A rule that must see every
 * instance's writes (a secret, the last manager) is a {@link Guard}: it runs holding its {@link ClusterMutex}
 * and outside the write lock, then the write happens before the mutex is released.
 *
 * <p>Errors: a refusal (a precondition, a unique key held elsewhere) is a {@code ProblemException} thrown by
 * the decision or the claim, before the store is touched; a store failure propagates after the claims are
 * released. The audit trail never fails a write that reached the store ({@link AuditTrail}).
 */
@ApplicationScoped
public class AdminWrites {

    private final Store store;
    private final Registry registry;
    private final AuditTrail audit;
    private final WriteLock lock;
    private final UniqueKeys keys;
    private final ClusterMutex mutex;
    private final Clock clock;

    AdminWrites(Store store, Registry registry, AuditTrail audit, WriteLock lock, UniqueKeys keys,
                ClusterMutex mutex, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.audit = audit;
        this.lock = lock;
        this.keys = keys;
        this.mutex = mutex;
        this.clock = clock;
    }

    /** What one write does, decided under the write lock from the registry's current state. */
    sealed interface Change<T> {
        /** A new object, stamped and at version 1. */
        record Create<T>(T object) implements Change<T> {
        }

        /**
         * {@code changed} is {@code current} with the request applied, not yet stamped; when it equals
         * {@code current} nothing is written: no new version, no event.
         *
         * @param summary the audit summary, or null for the kind's plain one
         */
        record Update<T>(T current, T changed, String summary) implements Change<T> {
        }

        record Delete<T>(T current) implements Change<T> {
        }

        /** Nothing to write; the answer is {@code current} as it is. */
        record Keep<T>(T current) implements Change<T> {
        }

        static <T> Change<T> update(T current, T changed) {
            return new Update<>(current, changed, null);
        }
    }

    /**
     * A rule that must see every instance's writes: {@code check} runs holding the cluster mutex
     * {@code kind}/{@code key}, re-reading the store, before the write lock is taken.
     */
    record Guard(String kind, String key, Runnable check) {
    }

    /** Decides and applies one change under the write lock; answers the object as it now is (deleted: as it was). */
    <T extends Versioned> T write(Caller caller, ObjectKind<T> kind, Supplier<Change<T>> decide) {
        return lock.call(() -> apply(caller, kind, decide.get()));
    }

    /** {@link #write(Caller, ObjectKind, Supplier)} holding the guard's mutex, whose check passed first. */
    <T extends Versioned> T write(Caller caller, ObjectKind<T> kind, Guard guard, Supplier<Change<T>> decide) {
        return mutex.holding(guard.kind(), guard.key(), held -> {
            guard.check().run();
            held.confirm();
            return write(caller, kind, decide);
        });
    }

    private <T extends Versioned> T apply(Caller caller, ObjectKind<T> kind, Change<T> change) {
        if (change instanceof Change.Create<T> create) {
            T object = create.object();
            List<Claimed> claimed = claim(kind, null, object, null);
            store(claimed, () -> repository(kind).create(object));
            kind.publish().accept(registry, object);
            record(caller, kind, Action.created, object, kind.summary().apply(object));
            return object;
        }
        if (change instanceof Change.Update<T> update) {
            if (update.changed().equals(update.current())) {
                return update.current();
            }
            T next = kind.next().of(update.changed(), caller.name(), clock.instant());
            List<Claimed> claimed = claim(kind, next.id(), next, update.current());
            store(claimed, () -> repository(kind).update(next));
            releaseGivenUp(kind, update.current(), next);
            kind.publish().accept(registry, next);
            record(caller, kind, Action.updated, next,
                    update.summary() == null ? kind.summary().apply(next) : update.summary());
            return next;
        }
        if (change instanceof Change.Delete<T> delete) {
            T current = delete.current();
            repository(kind).delete(current.id(), current.version());
            kind.forget().accept(registry, current.id());
            releaseGivenUp(kind, current, null);
            record(caller, kind, Action.deleted, current, kind.summary().apply(current));
            return current;
        }
        return ((Change.Keep<T>) change).current();
    }

    private <T extends Versioned> Repository<T> repository(ObjectKind<T> kind) {
        return kind.repository().apply(store);
    }

    /** A key claimed by this write, released again if the store write fails. */
    private record Claimed(String kind, String key, String ownerId) {
    }

    /**
     * Claims every unique key of {@code wanted} that {@code current} (null on create) does not hold already.
     * A key another object keeps refuses the write, releasing what this write claimed so far.
     */
    private <T extends Versioned> List<Claimed> claim(ObjectKind<T> kind, String problemId, T wanted, T current) {
        List<Claimed> claimed = new ArrayList<>();
        for (ObjectKind.UniqueKey<T> unique : kind.uniqueKeys()) {
            String key = unique.of().apply(wanted);
            if (current != null && unique.of().apply(current).equals(key)) {
                continue;
            }
            Optional<String> holder = keys.acquire(unique.claimKind(), key, wanted.id(),
                    id -> repository(kind).find(id).map(unique.of()).filter(key::equals).isPresent());
            if (holder.isPresent()) {
                release(claimed);
                String holderId = holder.get();
                throw new ProblemException(unique.refusal().of(wanted, problemId, holderId,
                        kind.known().apply(registry, holderId).or(() -> repository(kind).find(holderId))));
            }
            claimed.add(new Claimed(unique.claimKind(), key, wanted.id()));
        }
        return claimed;
    }

    private void store(List<Claimed> claimed, Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            release(claimed);
            throw e;
        }
    }

    private void release(List<Claimed> claimed) {
        claimed.forEach(c -> keys.release(c.kind(), c.key(), c.ownerId()));
    }

    /** Releases the keys {@code before} held that {@code after} (null: deleted) no longer holds. */
    private <T extends Versioned> void releaseGivenUp(ObjectKind<T> kind, T before, T after) {
        for (ObjectKind.UniqueKey<T> unique : kind.uniqueKeys()) {
            String key = unique.of().apply(before);
            if (after == null || !unique.of().apply(after).equals(key)) {
                keys.release(unique.claimKind(), key, before.id());
            }
        }
    }

    private <T extends Versioned> void record(Caller caller, ObjectKind<T> kind, Action action, T object,
                                              String summary) {
        audit.record(caller.name(), action, kind.type(), kind.auditId().apply(object), summary);
    }
}
