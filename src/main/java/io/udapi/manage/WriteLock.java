package io.udapi.manage;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises management writes on this instance, so that a uniqueness check (name, secret, route) and
 * the write it guards are one step, and a token cannot be deleted while a definition starts to use it.
 * Admin writes are rare; one lock is simpler than per-key locking and costs nothing measurable.
 *
 * <p>Only {@link AdminWrites} takes it, and only to decide and apply one change (docs/architecture.md, "Admin
 * writes"). It serialises this instance only. Checks that must see other instances' writes (a secret, the
 * last manager) hold a {@link ClusterMutex} around it; waiting for that mutex and Argon2 happen before
 * this lock is taken, so it is held only for the write.
 */
@ApplicationScoped
public class WriteLock {

    private final ReentrantLock lock = new ReentrantLock(true);

    public <T> T call(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** How many threads wait for the lock (for tests that need a writer parked on it). */
    int waiting() {
        return lock.getQueueLength();
    }

    public void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }
}
