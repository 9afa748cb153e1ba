package io.udapi.manage;

import io.udapi.audit.AuditEvent.Action;
import io.udapi.audit.Versioned;
import io.udapi.problem.ProblemException;
import io.udapi.registry.Registry;
import io.udapi.store.Repository;
import io.udapi.store.Store;
import io.udapi.store.error.StoreException;
import io.udapi.store.error.StoreUnavailableException;
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
 * claim is released again when the store write is refused, so a refused write leaves nothing behind, and kept
 * when an outage leaves it unknown whether the write was applied ({@link #store}).
 *
 * <p>What comes in is already parsed, validated and hashed: this class has no hasher, so Argon2 cannot run
 * under the write lock, which serialises every admin write of the instance. A rule that must see every
 * instance's writes (a secret, the last manager) is a {@link Guard}: it runs holding its {@link ClusterMutex}
 * and outside the write lock; the mutex is confirmed under the write lock and the write happens before it is
 * released.
 *
 * <p>Errors: a refusal (a precondition, a unique key held elsewhere) is a {@code ProblemException} thrown by
 * the decision or the claim, before the store is touched; a store failure propagates after the claims are
 * released. The audit trail never fails a write that reached the store ({@link AuditTrail}).
 */
@ApplicationScoped
public class AdminWrites {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AdminWrites.class);

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
            // confirmed under the write lock, just before the write: the wait for the lock (other writes of this
            // instance, each up to a store timeout) must not eat the lease while another instance takes it over
            return lock.call(() -> {
                held.confirm();
                return apply(caller, kind, decide.get());
            });
        });
    }

    private <T extends Versioned> T apply(Caller caller, ObjectKind<T> kind, Change<T> change) {
        if (change instanceof Change.Create<T> create) {
            T object = create.object();
            List<Claimed> claimed = claim(kind, null, object, null);
            store(kind, claimed, object, () -> repository(kind).create(object));
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
            store(kind, claimed, next, () -> repository(kind).update(next));
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

    /**
     * Runs the store write of {@code written}. A refusal (a conflict, a data error) applied nothing, so the claims
     * are released. An outage is unclear: a timeout or a 5xx may come after the store applied the write, so the
     * object is read back by id. Found as written: the write happened and goes on as a success (a release here
     * would let a retry create a second object of the same name). Not found: nothing happened, the claims are
     * released. Unreadable: the claims stay; {@link UniqueKeys} takes such a claim over after
     * {@link UniqueKeys#STALE_AFTER} once the store shows its object does not use the key.
     */
    private <T extends Versioned> void store(ObjectKind<T> kind, List<Claimed> claimed, T written, Runnable write) {
        try {
            write.run();
        } catch (StoreUnavailableException unclear) {
            Optional<T> stored;
            try {
                stored = repository(kind).find(written.id());
            } catch (StoreException unreadable) {
                unclear.addSuppressed(unreadable);
                throw unclear;
            }
            if (stored.isPresent() && stored.get().equals(written)) {
                LOG.infof("the store applied the write of %s %s (version %d) although it answered: %s",
                        kind.type(), written.id(), written.version(), unclear.getMessage());
                return;
            }
            release(claimed);
            throw unclear;
        } catch (RuntimeException refused) {
            release(claimed);
            throw refused;
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
