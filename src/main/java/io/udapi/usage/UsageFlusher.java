package io.udapi.usage;

import io.quarkus.scheduler.Scheduled;
import io.udapi.config.NodeIdentity;
import io.udapi.config.UdapiConfig;
import io.udapi.registry.TokenChanged;
import io.udapi.store.Store;
import io.udapi.store.error.StoreException;
import io.udapi.token.TokenUsage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Moves usage between this instance and the store (docs/tokens.md, "Usage"), never on the event loop:
 * once per {@code udapi.usage.flush-interval}, on a scheduler worker thread, one write of every token
 * admitted since the last successful flush (none when none was); and a read of every instance's usage,
 * which the token views merge with this instance's unflushed times ({@link #usageOf}).
 *
 * <p>When the usage is read: a token view ({@link #usageOf}, on a worker thread of the management API)
 * whose copy of the store's usage was read more than {@code udapi.sync.interval} ago reads it again
 * first, once for all the views waiting on it. That gives the bound of docs/tokens.md, "Usage": another instance's
 * admission reaches the store within one flush interval, and a view shows what the store held at most
 * one sync interval before it, so {@code lastUsedAt} lags by at most flush interval plus sync interval
 * (plus the write's own duration). Without views nothing is read ({@link #viewed}): an instance whose
 * management API nobody uses costs its store no usage reads, and a busy console at most one per sync
 * interval. The flush tick also reads when views happened since its last read, so the copy stays at
 * most one flush interval old even if the wall clock jumps.
 *
 * <p>Error policy: a store outage leaves the usage pending in {@link UsageRecorder}; the next flush
 * retries it, with nothing lost and nothing growing beyond one slot per token. A failed read keeps the
 * last copy; views then stop reading (they would each wait for the outage's timeout) until a flush
 * tick's read succeeds again.
 */
@ApplicationScoped
public class UsageFlusher {

    private static final Logger LOG = Logger.getLogger(UsageFlusher.class);

    /** The store's usage as read at {@code readAtMillis} (wall clock, taken before the read started). */
    record Snapshot(Map<String, TokenUsage> usage, long readAtMillis) {
        static final Snapshot NEVER = new Snapshot(Map.of(), Long.MIN_VALUE);

        Snapshot without(String tokenId) {
            if (!usage.containsKey(tokenId)) {
                return this;
            }
            Map<String, TokenUsage> rest = new HashMap<>(usage);
            rest.remove(tokenId);
            return new Snapshot(Map.copyOf(rest), readAtMillis);
        }
    }

    private final UsageRecorder recorder;
    private final Store store;
    private final String node;
    private final Clock clock;
    /** How old the copy may be when a view uses it: {@code udapi.sync.interval}. */
    private final long maxAgeMillis;
    /** One read at a time; views that find the copy stale wait for the read in progress instead of repeating it. */
    private final ReentrantLock reading = new ReentrantLock();
    /** Replaced whole by each read (a volatile publication). */
    private volatile Snapshot stored = Snapshot.NEVER;
    /**
     * Whether a token view asked for usage since the last read: an instance whose management API nobody
     * reads does not read the store's usage at all, so an idle instance costs its store nothing here.
     */
    private volatile boolean viewed = true;
    /** The last read failed: views keep the copy they have, the flush tick retries. */
    private volatile boolean readFailed;

    @Inject
    UsageFlusher(UsageRecorder recorder, Store store, NodeIdentity node, Clock clock, UdapiConfig config) {
        this(recorder, store, node.id(), clock, config.sync().interval());
    }

    UsageFlusher(UsageRecorder recorder, Store store, String node, Clock clock, Duration maxAge) {
        this.recorder = recorder;
        this.store = store;
        this.node = node;
        this.clock = clock;
        this.maxAgeMillis = maxAge.toMillis();
    }

    @Scheduled(every = "${udapi.usage.flush-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        flushOnce();
    }

    /** One write (when anything is pending) and one read (when a view happened); answers how many tokens it wrote. */
    public synchronized int flushOnce() {
        List<UsageRecorder.Pending> pending = recorder.pending();
        int written = 0;
        try {
            if (!pending.isEmpty()) {
                Map<String, TokenUsage> batch = new HashMap<>(pending.size() * 2);
                Map<String, TokenUsage> known = stored.usage();
                for (UsageRecorder.Pending p : pending) {
                    // merged with the stored value, so a restarted instance never lowers what its earlier life wrote
                    batch.put(p.tokenId(), p.usage().merge(known.get(p.tokenId())));
                }
                store.usage().write(node, batch);
                pending.forEach(UsageRecorder.Pending::written);
                written = batch.size();
            }
        } catch (StoreException e) {
            LOG.debugf("usage flush deferred (%d tokens pending): %s", pending.size(), e.getMessage());
            viewed = true; // the read below is skipped, and retried on the next tick
            return 0;
        }
        if (viewed) {
            read(null);
        }
        return written;
    }

    /**
     * Reads the store's usage, unless {@code staleCopy} is given and another thread replaced it meanwhile
     * (its read started no earlier than this caller's). Never throws: a failure keeps the old copy.
     */
    private Snapshot read(Snapshot staleCopy) {
        reading.lock();
        try {
            Snapshot current = stored;
            if (staleCopy != null && current != staleCopy) {
                return current;
            }
            viewed = false;
            long startedAt = clock.millis();
            try {
                current = new Snapshot(store.usage().readAll(), startedAt);
                stored = current;
                readFailed = false;
            } catch (StoreException e) {
                viewed = true; // the read is retried by the next tick
                readFailed = true;
                LOG.debugf("usage read deferred: %s", e.getMessage());
            }
            return current;
        } finally {
            reading.unlock();
        }
    }

    private boolean stale(Snapshot copy) {
        long age = clock.millis() - copy.readAtMillis();
        // a negative age is a wall clock set back: the copy's age is unknown, so it is read again
        return copy.readAtMillis() == Long.MIN_VALUE || age < 0 || age > maxAgeMillis;
    }

    /** The token's usage on any instance as far as this one knows: the store's, merged with its own. */
    public TokenUsage usageOf(String tokenId) {
        viewed = true;
        Snapshot copy = stored;
        if (!readFailed && stale(copy)) {
            copy = read(copy);
        }
        return recorder.of(tokenId).merge(copy.usage().get(tokenId));
    }

    /**
     * A deleted token's usage is no longer shown. Its stored rows stay until {@link io.udapi.store.UsageLog#delete}
     * is called (not from here: this observer runs on the deleting thread, which must not wait for the store);
     * they are never shown, since views exist only for existing tokens.
     */
    void onTokenChanged(@Observes TokenChanged change) {
        if (change.after() != null) {
            return;
        }
        // No lock: this thread must not wait for a read in progress. That read may publish the token's rows
        // again; they are never shown, since views exist only for existing tokens.
        stored = stored.without(change.tokenId());
    }
}
