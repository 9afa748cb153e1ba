package io.udapi.usage;

import io.udapi.ManualClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.auth.AuthResult.SecretSlot;
import io.udapi.store.Store;
import io.udapi.store.UsageLog;
import io.udapi.store.error.StoreUnavailableException;
import io.udapi.token.TokenUsage;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Recording and flushing of token usage in virtual time (docs/tokens.md, "Usage"): a fake clock stands
 * for the injected one and each {@link UsageFlusher#flushOnce} call stands for one flush-interval tick.
 */
class UsageFlusherTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");


    /** A usage log in memory that counts the token rows written and can be made to fail like an outage. */
    static final class CountingUsageLog implements UsageLog {
        final Map<String, TokenUsage> rows = new HashMap<>();
        final AtomicInteger rowWrites = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        /** Calls of readAll, failed ones included. */
        final AtomicInteger reads = new AtomicInteger();
        final AtomicBoolean down = new AtomicBoolean();

        @Override
        public void write(String node, Map<String, TokenUsage> usage) {
            requests.incrementAndGet();
            if (down.get()) {
                throw new StoreUnavailableException("down");
            }
            rowWrites.addAndGet(usage.size());
            usage.forEach((id, u) -> rows.merge(id, u, TokenUsage::merge));
        }

        @Override
        public Map<String, TokenUsage> readAll() {
            reads.incrementAndGet();
            if (down.get()) {
                throw new StoreUnavailableException("down");
            }
            return Map.copyOf(rows);
        }

        @Override
        public void delete(String tokenId) {
            rows.remove(tokenId);
        }
    }

    private final ManualClock clock = new ManualClock(T0);
    private final UsageRecorder recorder = new UsageRecorder(clock);
    private final CountingUsageLog log = new CountingUsageLog();
    /** {@code udapi.sync.interval} at its default: how old a copy of the store's usage a view may use. */
    private static final Duration SYNC = Duration.ofSeconds(1);
    private final UsageFlusher flusher = new UsageFlusher(recorder, storeWith(log), "node-a", clock, SYNC);

    private static Store storeWith(UsageLog usage) {
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("usage")) {
                        return usage;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void tenTokensTriggeredEvery10msFor60sWithA5sFlushThenAtMost120RowWritesAnd12Requests() {
        // 10 tokens × 100 triggers per second × 60 s = 60,000 admissions; one flush per 5 s of virtual time
        Duration flushInterval = Duration.ofSeconds(5);
        Instant nextFlush = T0.plus(flushInterval);
        int admissions = 0;
        for (long ms = 0; ms < 60_000; ms += 10) {
            clock.set(T0.plusMillis(ms));
            if (!clock.instant().isBefore(nextFlush)) {
                flusher.flushOnce();
                nextFlush = nextFlush.plus(flushInterval);
            }
            for (int t = 0; t < 10; t++) {
                recorder.admitted("token-" + t, SecretSlot.CURRENT);
                admissions++;
            }
        }
        clock.set(T0.plusSeconds(60));
        flusher.flushOnce();

        assertEquals(60_000, admissions);
        // bound of docs/tokens.md: tokens × duration / flush interval = 10 × 60 / 5
        assertTrue(log.rowWrites.get() <= 120, log.rowWrites.get() + " row writes");
        assertEquals(120, log.rowWrites.get());
        assertEquals(12, log.requests.get());
        assertEquals(T0.plusMillis(59_990), log.rows.get("token-3").lastUsedAt());
    }

    @Test
    void flushWhenNothingWasUsedSinceTheLastThenNoWrite() {
        recorder.admitted("t", SecretSlot.CURRENT);
        assertEquals(1, flusher.flushOnce());
        assertEquals(0, flusher.flushOnce());
        assertEquals(1, log.requests.get());
    }

    @Test
    void storeOutageThenUsageStaysPendingAndTheNextFlushWritesIt() {
        recorder.admitted("t", SecretSlot.CURRENT);
        log.down.set(true);
        assertEquals(0, flusher.flushOnce());
        assertTrue(log.rows.isEmpty());
        assertEquals(T0, flusher.usageOf("t").lastUsedAt()); // the unflushed time is still shown

        log.down.set(false);
        assertEquals(1, flusher.flushOnce());
        assertEquals(new TokenUsage(T0, null), log.rows.get("t"));
    }

    @Test
    void previousSecretAdmissionThenBothFieldsSetAndCurrentOneOnlyMovesLastUsedAt() {
        recorder.admitted("t", SecretSlot.PREVIOUS);
        clock.set(T0.plusSeconds(1));
        recorder.admitted("t", SecretSlot.CURRENT);
        assertEquals(new TokenUsage(T0.plusSeconds(1), T0), flusher.usageOf("t"));
    }

    @Test
    void usageOfAnotherInstanceWhenTheCopyIsNewerThanTheSyncIntervalThenShownOnlyOnceItIsOlder() {
        flusher.flushOnce(); // reads the store at T0
        log.rows.put("t", new TokenUsage(T0.plusMillis(7), null)); // another instance's flush
        clock.set(T0.plus(SYNC));
        assertNull(flusher.usageOf("t").lastUsedAt()); // the copy is exactly one sync interval old: still used
        clock.set(T0.plus(SYNC).plusMillis(1));
        assertEquals(T0.plusMillis(7), flusher.usageOf("t").lastUsedAt());
        assertEquals(2, log.reads.get());
        flusher.usageOf("t");
        assertEquals(2, log.reads.get()); // the fresh copy serves every view until it is a sync interval old
    }

    @Test
    void admissionOnAnotherInstanceThenEveryViewFromFlushPlusSyncIntervalAfterItShowsIt() {
        // Worst case of the old bound of two flush intervals: instance A admits just after its own flush, and
        // B's flush ticks fall just before A's. A view on B must still show it within flush + sync interval.
        Duration flush = Duration.ofSeconds(30);
        UsageRecorder onA = new UsageRecorder(clock);
        UsageFlusher a = new UsageFlusher(onA, storeWith(log), "node-a", clock, SYNC);
        UsageFlusher b = new UsageFlusher(new UsageRecorder(clock), storeWith(log), "node-b", clock, SYNC);
        Instant admitted = T0.plusMillis(100);
        Instant bound = admitted.plus(flush).plus(SYNC);
        int views = 0;
        for (long ms = 0; ms <= 70_000; ms += 100) {
            clock.set(T0.plusMillis(ms));
            if (ms % flush.toMillis() == 0) {
                a.flushOnce();
            }
            if (ms % flush.toMillis() == flush.toMillis() - 100) {
                b.flushOnce();
            }
            if (clock.instant().equals(admitted)) {
                onA.admitted("t", SecretSlot.CURRENT);
            }
            Instant shown = b.usageOf("t").lastUsedAt();
            views++;
            if (!clock.instant().isBefore(bound)) {
                assertEquals(admitted, shown, "a view on B at " + clock.instant());
            }
        }
        // cost: 701 views in 70 s read the store at most once per sync interval (70), plus at most one read per
        // flush tick of each instance (3 of A, 2 of B), not once per view
        assertEquals(701, views);
        assertTrue(log.reads.get() <= 70 + 5, log.reads.get() + " reads");
    }

    @Test
    void noViewSinceTheLastReadThenAFlushReadsNothing() {
        flusher.flushOnce(); // the first flush reads: a view may come at any time after start-up
        flusher.flushOnce();
        flusher.flushOnce();
        assertEquals(1, log.reads.get());
    }

    @Test
    void storeDownWhenAViewReadsThenLaterViewsDoNotWaitForItUntilAFlushReadsAgain() {
        log.down.set(true);
        assertNull(flusher.usageOf("t").lastUsedAt());
        clock.set(T0.plusSeconds(5));
        flusher.usageOf("t");
        assertEquals(1, log.reads.get()); // only the first view tried

        log.down.set(false);
        log.rows.put("t", new TokenUsage(T0, null));
        flusher.flushOnce();
        assertEquals(T0, flusher.usageOf("t").lastUsedAt());
        assertEquals(2, log.reads.get());
    }

    @Test
    void restartedInstanceThenItsFlushNeverLowersTheStoredPreviousSecretTime() {
        log.rows.put("t", new TokenUsage(T0, T0));
        flusher.flushOnce(); // reads the store
        clock.set(T0.plusSeconds(1));
        recorder.admitted("t", SecretSlot.CURRENT);
        flusher.flushOnce();
        assertEquals(new TokenUsage(T0.plusSeconds(1), T0), log.rows.get("t"));
    }
}
