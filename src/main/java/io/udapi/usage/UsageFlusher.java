package io.udapi.usage;

import io.quarkus.scheduler.Scheduled;
import io.udapi.config.NodeIdentity;
import io.udapi.registry.TokenChanged;
import io.udapi.store.Store;
import io.udapi.store.error.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Moves usage between this instance and the store once per {@code udapi.usage.flush-interval}
 * (docs/tokens.md, "Usage"), on a scheduler worker thread, never on the event loop: one write of every
 * token admitted since the last successful flush (none when none was), then, when a token view was
 * read since the last flush, one read of every instance's usage, which the token views merge with this
 * instance's unflushed times ({@link #usageOf}).
 *
 * <p>Error policy: a store outage leaves the usage pending in {@link UsageRecorder}; the next flush
 * retries it, with nothing lost and nothing growing beyond one slot per token.
 */
@ApplicationScoped
public class UsageFlusher {

    private static final Logger LOG = Logger.getLogger(UsageFlusher.class);

    private final UsageRecorder recorder;
    private final Store store;
    private final String node;
    /** The store's usage as last read; replaced whole by each flush (a volatile publication). */
    private volatile Map<String, TokenUsage> stored = Map.of();
    /**
     * Whether a token view asked for usage since the last read: an instance whose management API nobody
     * reads does not read the store's usage at all, so an idle instance costs its store nothing here.
     */
    private volatile boolean viewed = true;

    @Inject
    UsageFlusher(UsageRecorder recorder, Store store, NodeIdentity node) {
        this(recorder, store, node.id());
    }

    UsageFlusher(UsageRecorder recorder, Store store, String node) {
        this.recorder = recorder;
        this.store = store;
        this.node = node;
    }

    @Scheduled(every = "${udapi.usage.flush-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        flushOnce();
    }

    /** One write (when anything is pending) and one read; answers how many tokens it wrote. */
    public synchronized int flushOnce() {
        List<UsageRecorder.Pending> pending = recorder.pending();
        int written = 0;
        try {
            if (!pending.isEmpty()) {
                Map<String, TokenUsage> batch = new HashMap<>(pending.size() * 2);
                Map<String, TokenUsage> known = stored;
                for (UsageRecorder.Pending p : pending) {
                    // merged with the stored value, so a restarted instance never lowers what its earlier life wrote
                    batch.put(p.tokenId(), p.usage().merge(known.get(p.tokenId())));
                }
                store.usage().write(node, batch);
                pending.forEach(UsageRecorder.Pending::written);
                written = batch.size();
            }
            if (viewed) {
                viewed = false;
                stored = store.usage().readAll();
            }
        } catch (StoreException e) {
            viewed = true; // the read is retried too
            LOG.debugf("usage flush deferred (%d tokens pending): %s", pending.size(), e.getMessage());
        }
        return written;
    }

    /** The token's usage on any instance as far as this one knows: the store's, merged with its own. */
    public TokenUsage usageOf(String tokenId) {
        viewed = true;
        return recorder.of(tokenId).merge(stored.get(tokenId));
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
        Map<String, TokenUsage> without = new HashMap<>(stored);
        if (without.remove(change.tokenId()) != null) {
            stored = Map.copyOf(without);
        }
    }
}
