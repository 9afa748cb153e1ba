package io.udapi.manage;

import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.store.Claims;
import io.udapi.store.Store;
import io.udapi.store.error.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A cross-instance mutex per key, built on a lease claim ({@link Claims#acquireLease}): held around a
 * check that must see every instance's writes (a new secret against the stored tokens of its lookup
 * tag; the last-manager rule against the stored users) together with the write it guards.
 *
 * <p>Order: take the mutex, re-read from the store, check (Argon2 included), then take this instance's
 * {@link WriteLock} only for the write, then release. The global write lock is never held while
 * waiting for the mutex or while Argon2 runs.
 *
 * <p>Crash: a mutex left by a crashed instance is taken over once it is older than {@link #LEASE}. A
 * holder that is still alive but slower than that could lose it; so before writing the holder checks
 * ({@link Held#confirm()}) that less than half the lease has passed on its own clock and that the store
 * still shows its claim, and gives up (503, nothing written) otherwise. The lease is far above the few
 * hundred milliseconds a hold takes and above the clock skew of NTP-synchronised hosts.
 *
 * <p>Busy: a caller that does not get the mutex within {@link #WAIT} answers 503 {@code StoreUnavailable}
 * ("retry"), having changed nothing.
 */
@ApplicationScoped
public class ClusterMutex {

    private static final Logger LOG = Logger.getLogger(ClusterMutex.class);
    /** The kind of the mutex that serialises secrets of one lookup tag; the key is the tag in hex. */
    public static final String SECRET_TAG = "secret-tag";
    /** The kind of the mutex held while a holder of {@code users.manage} is demoted or deleted. */
    public static final String USERS = "users";
    public static final String MANAGERS = "managers";
    /** A mutex older than this is taken over: its holder crashed (or is too slow to be trusted). */
    static final Duration LEASE = Duration.ofSeconds(20);
    /** How long a caller waits for a mutex held by another (live) caller. */
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final long FIRST_PAUSE_MS = 5;
    private static final long MAX_PAUSE_MS = 100;

    private final Store store;
    private final Clock clock;
    private final Duration wait;

    @Inject
    ClusterMutex(Store store, Clock clock) {
        this(store, clock, WAIT);
    }

    /** @param wait how long to wait for a mutex held by another caller (tests shorten it) */
    ClusterMutex(Store store, Clock clock, Duration wait) {
        this.store = store;
        this.clock = clock;
        this.wait = wait;
    }

    /** The mutex as its holder sees it. */
    public interface Held {
        /**
         * Refuses (503, retry) unless this holder may still write: under half the lease since it got the
         * mutex, and the store still shows its claim. Call just before the write.
         */
        void confirm();
    }

    /** The key of a lookup tag's mutex. */
    static String tagKey(int tag) {
        return String.format("%08x", tag);
    }

    /**
     * Runs {@code action} holding the mutex {@code kind}/{@code key}; releases it afterwards, also when the
     * action fails (best effort: a mutex that cannot be released goes stale after {@link #LEASE}).
     */
    public <T> T holding(String kind, String key, Function<Held, T> action) {
        Claims claims = store.claims();
        String owner = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = FIRST_PAUSE_MS;
        Optional<Claims.Claim> holder;
        while ((holder = claims.acquireLease(kind, key, owner, clock.instant(), LEASE)).isPresent()) {
            if (System.nanoTime() > deadline) {
                LOG.warnf("the %s mutex '%s' stayed with %s (since %s) for %s; refusing", kind, key,
                        holder.get().owner(), holder.get().at(), wait);
                throw new ProblemException(Problems.busy(kind));
            }
            pause(pause);
            pause = Math.min(MAX_PAUSE_MS, pause * 2);
        }
        long acquired = System.nanoTime();
        Held held = () -> {
            if (System.nanoTime() - acquired > LEASE.toNanos() / 2
                    || !claims.owner(kind, key).map(c -> c.owner().equals(owner)).orElse(false)) {
                LOG.warnf("the %s mutex '%s' of %s expired or was taken over before the write; nothing written",
                        kind, key, owner);
                throw new ProblemException(Problems.busy(kind));
            }
        };
        try {
            return action.apply(held);
        } finally {
            try {
                claims.release(kind, key, owner);
            } catch (StoreException e) {
                LOG.warnf("could not release the %s mutex '%s' of %s (it expires after %s): %s", kind, key, owner,
                        LEASE, e.getMessage());
            }
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(Problems.busy("interrupted"));
        }
    }
}
