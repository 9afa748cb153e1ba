package io.udapi.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.udapi.audit.AuditEvent;
import io.udapi.config.UdapiConfig;
import io.udapi.definition.ApiDefinition;
import io.udapi.registry.Registry;
import io.udapi.store.EventPage;
import io.udapi.store.Store;
import io.udapi.audit.Versioned;
import io.udapi.store.error.StoreDataException;
import io.udapi.store.error.StoreUnavailableException;
import io.udapi.token.ApiToken;
import io.udapi.token.TokenName;
import io.udapi.user.AdminUser;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The sync loop (see the package documentation): a full load at start-up, then one change-feed read per
 * {@code udapi.sync.interval}, and a full reconciliation every {@code udapi.sync.full-reload-interval}.
 * An idle cluster costs one small search per interval per instance.
 *
 * <p>Error policy: an outage ({@link StoreUnavailableException}) ends the pass before the cursor moves,
 * so the pass is repeated on the next tick. A data error of one object (a {@link StoreDataException}:
 * its document is refused by the store or unreadable, or the registry rejects the object) is not an
 * outage: it is logged once, counted in {@code udapi.sync.skipped{reason}} ({@code refused},
 * {@code unreadable}, {@code rejected}) and skipped, and every other change of the pass is applied.
 * The next full reload reads the object again.
 */
@ApplicationScoped
public class Sync {

    private static final Logger LOG = Logger.getLogger(Sync.class);
    /** Events read per feed request; a pass reads up to {@link #MAX_PAGES_PER_PASS} pages. */
    static final int PAGE = 500;
    static final int MAX_PAGES_PER_PASS = 20;
    /** Event ids remembered for de-duplication: far more than the feed's re-read window. */
    static final int REMEMBERED_IDS = 4_096;
    /** How long a pushed change waits for a running pass (a full reload can take seconds) before leaving it to the feed. */
    static final Duration PUSH_WAIT = Duration.ofSeconds(2);
    /** How long a pass waits for the registry before leaving the work to the next tick. */
    static final Duration PASS_WAIT = Duration.ofMillis(250);

    private final Store store;
    private final Registry registry;
    private final Clock clock;
    private final Duration fullReloadInterval;
    private final Instant created;
    /** Fair, so that a pass waiting for it comes before the next pushed change (pushes cannot starve the loop). */
    private final ReentrantLock lock = new ReentrantLock(true);

    // guarded by lock
    private long cursor = -1;
    private Instant lastFullLoad;
    private Runnable beforeFirstLoad = () -> { };
    private final Map<String, Boolean> recentIds = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_IDS;
        }
    };

    private final MeterRegistry meters;
    private final Map<String, Counter> skipped = new java.util.concurrent.ConcurrentHashMap<>();

    private volatile boolean started;
    private volatile SyncStatus status = SyncStatus.starting();

    Sync(Store store, Registry registry, Clock clock, UdapiConfig config, MeterRegistry meters) {
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        this.fullReloadInterval = config.sync().fullReloadInterval();
        this.created = clock.instant();
        this.meters = meters;
        for (String reason : List.of("refused", "unreadable", "rejected")) {
            skipCounter(reason);   // registered at 0, so a dashboard sees the series before the first skip
        }
        meters.gauge("udapi.sync.lag.seconds", this, s -> s.lag().toMillis() / 1000.0);
    }

    public SyncStatus status() {
        return status;
    }

    /** Seconds since the last successful pass (since start before the first). */
    public Duration lag() {
        return status.lag(clock.instant(), created);
    }

    /**
     * Starts the loop: tries the first load now and, if the store cannot be reached, leaves it to the
     * ticks (readiness stays DOWN until it succeeds). {@code beforeFirstLoad} (the admin bootstrap)
     * runs before each attempt until one succeeds.
     */
    public SyncStatus start(Runnable beforeFirstLoad) {
        lock.lock();
        try {
            this.beforeFirstLoad = beforeFirstLoad;
            started = true;
        } finally {
            lock.unlock();
        }
        return syncOnce();
    }

    @Scheduled(every = "${udapi.sync.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (started) {
            syncOnce();
        }
    }

    /**
     * One pass; returns with the current status when another pass holds the registry for longer than
     * {@link #PASS_WAIT} (a pushed change holds it for one read).
     */
    public SyncStatus syncOnce() {
        try {
            if (!lock.tryLock(PASS_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return status;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return status;
        }
        try {
            SyncStatus before = status;
            try {
                if (!before.loaded()) {
                    firstLoad();
                } else if (!clock.instant().isBefore(lastFullLoad.plus(fullReloadInterval))) {
                    reconcile();
                } else {
                    poll();
                }
                status = new SyncStatus(SyncStatus.State.IN_SYNC, true, clock.instant(), null, cursor);
                if (!before.storeUp()) {
                    LOG.infof("store reachable again; registry in sync (cursor %d)", cursor);
                }
            } catch (StoreUnavailableException | StoreDataException e) {
                // a data error here refused the whole feed or listing (not one object): the pass cannot
                // complete, exactly as in an outage
                status = new SyncStatus(before.loaded() ? SyncStatus.State.STORE_DOWN : SyncStatus.State.LOADING,
                        before.loaded(), before.lastSuccess(), e.getMessage(), cursor);
                if (before.storeUp()) {
                    LOG.warnf("store unavailable, serving the in-memory copy and retrying every interval: %s",
                            e.getMessage());
                }
            }
            return status;
        } finally {
            lock.unlock();
        }
    }

    /** The cursor first, so that a change written during the load is read from the feed afterwards. */
    private void firstLoad() {
        long started = System.nanoTime();
        beforeFirstLoad.run();
        long t0 = System.nanoTime();
        long head = store.events().headCursor();
        registry.loadFrom(store);
        cursor = head;
        lastFullLoad = clock.instant();
        long done = System.nanoTime();
        LOG.infof("registry loaded in %d ms: %d tokens, %d definitions, %d admin users from the %s store "
                + "(%d ms with opening the store, the admin bootstrap and any migration before it)",
                (done - t0) / 1_000_000, registry.tokenCount(), registry.definitions().size(),
                registry.users().size(), store.kind(), (done - started) / 1_000_000);
    }

    /** Reads the feed and re-reads each object it names, once per pass. */
    private void poll() {
        for (int pages = 0; pages < MAX_PAGES_PER_PASS; pages++) {
            EventPage page = store.events().changesAfter(cursor, PAGE);
            List<AuditEvent> fresh = page.events().stream().filter(e -> !recentIds.containsKey(e.id())).toList();
            Set<ObjectKey> keys = new LinkedHashSet<>();
            fresh.forEach(e -> keys.add(new ObjectKey(e.objectType(), e.objectId())));
            applyAll(keys);             // throws StoreUnavailable before anything below moves
            fresh.forEach(e -> recentIds.put(e.id(), Boolean.TRUE));
            boolean more = page.nextCursor() > cursor && fresh.size() >= PAGE;
            cursor = page.nextCursor();
            if (!more) {
                return;
            }
        }
    }

    private record ObjectKey(AuditEvent.ObjectType type, String objectId) {
    }

    /** What became of a change another instance announced ({@link #applyPushed}). */
    public enum Pushed {
        /** Re-read from the store and applied (or removed: it is gone). */
        APPLIED,
        /** Not applied now: not loaded yet, a pass held the registry too long, or the read failed; the feed has it. */
        LEFT_TO_THE_FEED
    }

    /**
     * Applies one change announced by another instance (docs/architecture.md, "Pushed changes"): re-reads the
     * object by id from the store, exactly as a pass applies a feed event, between passes (the lock), so a pass
     * and a push never interleave their reads and writes of one object. The announcement only says which object
     * to read; what is applied is the store's copy, so a forged announcement costs a read and changes nothing.
     * Any failure leaves the change to the feed, which names it too.
     */
    public Pushed applyPushed(AuditEvent.ObjectType type, String objectId) {
        try {
            if (!status.loaded() || !lock.tryLock(PUSH_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return Pushed.LEFT_TO_THE_FEED;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Pushed.LEFT_TO_THE_FEED;
        }
        try {
            apply(new ObjectKey(type, objectId));
            return Pushed.APPLIED;
        } catch (RuntimeException e) {
            LOG.debugf("pushed change of %s %s left to the feed: %s", type, objectId, e.getMessage());
            return Pushed.LEFT_TO_THE_FEED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies every key. A store data error skips its key at once (reading it again gives the same
     * answer); any other failure (the registry rejecting the object) is retried once at the end, after
     * the pass's other changes, since one of them may resolve it, then skipped.
     */
    private void applyAll(Set<ObjectKey> keys) {
        List<ObjectKey> failed = new ArrayList<>();
        for (ObjectKey key : keys) {
            try {
                apply(key);
            } catch (StoreUnavailableException e) {
                throw e;
            } catch (StoreDataException e) {
                skip(key, e.kind().name(), e.getMessage());
            } catch (RuntimeException e) {
                failed.add(key);
            }
        }
        for (ObjectKey key : failed) {
            try {
                apply(key);
            } catch (StoreUnavailableException e) {
                throw e;
            } catch (StoreDataException e) {
                skip(key, e.kind().name(), e.getMessage());
            } catch (RuntimeException e) {
                skip(key, "rejected", e.getMessage());
            }
        }
    }

    /** The one log line and the count of a skipped object; the message never carries a stored value. */
    private void skip(ObjectKey key, String reason, String message) {
        skipCounter(reason).increment();
        LOG.errorf("sync skipped %s %s (%s; read again by the next full reload): %s", key.type(), key.objectId(),
                reason, message);
    }

    private Counter skipCounter(String reason) {
        return skipped.computeIfAbsent(reason, r -> Counter.builder("udapi.sync.skipped")
                .description("Changes the sync loop skipped because of a data error in one object")
                .tag("reason", r).register(meters));
    }

    private void apply(ObjectKey key) {
        if (key.type() == null || key.objectId() == null) {
            return;
        }
        switch (key.type()) {
            case token -> store.tokens().find(key.objectId())
                    .ifPresentOrElse(registry::putToken, () -> registry.removeToken(key.objectId()));
            case definition -> store.definitions().find(key.objectId())
                    .ifPresentOrElse(registry::putDefinition, () -> registry.removeDefinition(key.objectId()));
            case user -> {
                String id = TokenName.key(key.objectId());   // a user's event names it; its id is the lower-cased name
                store.users().find(id).ifPresentOrElse(registry::putUser, () -> registry.removeUser(id));
            }
        }
    }

    /**
     * The safety net: lists everything and applies the differences. The registry refuses older
     * versions, and an object missing from the listing is removed only after a by-id read confirms it
     * is gone, so a write that lands during the listing is never undone.
     */
    private void reconcile() {
        long head = store.events().headCursor();
        List<ApiToken> tokens = store.tokens().list();
        List<ApiDefinition> definitions = store.definitions().list();
        List<AdminUser> users = store.users().list();
        int changed = 0;
        changed += reconcile(tokens, registry.tokens(), registry::token, store.tokens()::find, registry::putToken,
                registry::removeToken, AuditEvent.ObjectType.token);
        changed += reconcile(definitions, registry.definitions().all(), id -> registry.definitions().get(id),
                store.definitions()::find, registry::putDefinition, registry::removeDefinition,
                AuditEvent.ObjectType.definition);
        changed += reconcile(users, registry.users(), registry::user, store.users()::find, registry::putUser,
                registry::removeUser, AuditEvent.ObjectType.user);
        if (changed > 0) {
            LOG.warnf("full reload corrected %d objects the change feed had missed", changed);
        }
        lastFullLoad = clock.instant();
        poll();
        LOG.debugf("full reload done (head %d, cursor %d)", head, cursor);
    }

    private <T extends Versioned> int reconcile(List<T> stored, java.util.Collection<T> cached,
            Function<String, java.util.Optional<T>> cachedById, Function<String, java.util.Optional<T>> storedById,
            java.util.function.Consumer<T> put, java.util.function.Consumer<String> remove,
            AuditEvent.ObjectType type) {
        int changed = 0;
        for (T value : stored) {
            java.util.Optional<T> mine = cachedById.apply(value.id());
            if (mine.isEmpty() || value.supersedes(mine.get())) {
                try {
                    put.accept(value);
                    changed++;
                } catch (RuntimeException e) {
                    skip(new ObjectKey(type, value.id()), "rejected", e.getMessage());
                }
            }
        }
        Set<String> storedIds = stored.stream().map(Versioned::id).collect(Collectors.toSet());
        for (T value : List.copyOf(cached)) {
            if (storedIds.contains(value.id())) {
                continue;
            }
            try {
                if (storedById.apply(value.id()).isEmpty()) {
                    remove.accept(value.id());
                    changed++;
                }
            } catch (StoreDataException e) {   // still stored, but unreadable: keep the copy in memory
                skip(new ObjectKey(type, value.id()), e.kind().name(), e.getMessage());
            }
        }
        return changed;
    }
}
