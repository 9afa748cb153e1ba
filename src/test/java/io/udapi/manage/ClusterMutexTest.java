package io.udapi.manage;

import io.udapi.ManualClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.problem.ProblemException;
import io.udapi.problem.Reason;
import io.udapi.store.Claims;
import io.udapi.store.Store;
import io.udapi.store.StoreJson;
import io.udapi.store.file.FileStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster mutex over the store's claims: exclusion, release, take-over of a crashed holder's lease, busy. */
class ClusterMutexTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private Store store;
    private ExecutorService pool;

    @BeforeEach
    void open() {
        store = new FileStore(dir, StoreJson.mapper());
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
    }

    private ClusterMutex mutex(Duration wait) {
        return new ClusterMutex(store, clock, wait);
    }

    private Optional<Claims.Claim> holder() {
        return store.claims().owner(ClusterMutex.USERS, ClusterMutex.MANAGERS);
    }

    @Test
    void holdingWhenFreeThenRunsWithTheClaimAndReleasesIt() {
        String result = mutex(Duration.ofSeconds(5)).holding(ClusterMutex.USERS, ClusterMutex.MANAGERS, held -> {
            assertTrue(holder().isPresent());
            held.confirm();
            return "done";
        });
        assertEquals("done", result);
        assertEquals(Optional.empty(), holder());
    }

    @Test
    void holdingWhenTheActionFailsThenReleasesIt() {
        assertThrows(IllegalStateException.class, () -> mutex(Duration.ofSeconds(5))
                .holding(ClusterMutex.USERS, ClusterMutex.MANAGERS, held -> {
                    throw new IllegalStateException("write failed");
                }));
        assertEquals(Optional.empty(), holder());
    }

    @Test
    void holdingWhenAnotherCallerHoldsThenWaitsForItsRelease() throws Exception {
        CountDownLatch refused = new CountDownLatch(1);
        ClusterMutex mutex = new ClusterMutex(observed(store, refused), clock, Duration.ofSeconds(30));
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch firstHolds = new CountDownLatch(1);
        Future<?> first = pool.submit(() -> mutex.holding(ClusterMutex.USERS, ClusterMutex.MANAGERS, held -> {
            firstHolds.countDown();
            // the second caller has been refused the mutex at least once while this one holds it
            assertTrue(await(refused), "the second caller was never refused");
            order.add("first");
            return null;
        }));
        assertTrue(firstHolds.await(10, TimeUnit.SECONDS));
        Future<?> second = pool.submit(() -> mutex.holding(ClusterMutex.USERS, ClusterMutex.MANAGERS,
                held -> order.add("second")));
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);
        assertEquals(List.of("first", "second"), order);
        assertEquals(Optional.empty(), holder());
    }

    /** {@code store} whose claims count down {@code refused} whenever a claim is refused. */
    private static Store observed(Store store, CountDownLatch refused) {
        Claims claims = new Claims() {
            @Override
            public boolean claim(String kind, String key, String ownerId, Instant at) {
                boolean got = store.claims().claim(kind, key, ownerId, at);
                if (!got) {
                    refused.countDown();
                }
                return got;
            }

            @Override
            public boolean takeOver(String kind, String key, String expectedOwner, String newOwner, Instant at) {
                return store.claims().takeOver(kind, key, expectedOwner, newOwner, at);
            }

            @Override
            public void release(String kind, String key, String ownerId) {
                store.claims().release(kind, key, ownerId);
            }

            @Override
            public Optional<Claim> owner(String kind, String key) {
                return store.claims().owner(kind, key);
            }
        };
        return new Store() {
            @Override
            public io.udapi.store.Repository<io.udapi.token.ApiToken> tokens() {
                return store.tokens();
            }

            @Override
            public io.udapi.store.Repository<io.udapi.definition.ApiDefinition> definitions() {
                return store.definitions();
            }

            @Override
            public io.udapi.store.Repository<io.udapi.user.AdminUser> users() {
                return store.users();
            }

            @Override
            public io.udapi.store.EventLog events() {
                return store.events();
            }

            @Override
            public Claims claims() {
                return claims;
            }

            @Override
            public io.udapi.store.UsageLog usage() {
                return store.usage();
            }

            @Override
            public String kind() {
                return store.kind();
            }
        };
    }

    @Test
    void holdingWhenACrashedHolderLeftAnExpiredClaimThenTakesItOver() {
        store.claims().claim(ClusterMutex.USERS, ClusterMutex.MANAGERS, "crashed", T0);
        clock.set(T0.plus(ClusterMutex.LEASE).plusMillis(1));
        assertEquals("ran", mutex(Duration.ofSeconds(5)).holding(ClusterMutex.USERS, ClusterMutex.MANAGERS, held -> {
            held.confirm();
            return "ran";
        }));
        assertEquals(Optional.empty(), holder());
    }

    @Test
    void holdingWhenALiveHolderKeepsItBeyondTheWaitThen503StoreUnavailable() {
        store.claims().claim(ClusterMutex.USERS, ClusterMutex.MANAGERS, "live", T0);
        ProblemException busy = assertThrows(ProblemException.class, () -> mutex(Duration.ofMillis(50))
                .holding(ClusterMutex.USERS, ClusterMutex.MANAGERS, held -> "never"));
        assertEquals(Reason.StoreUnavailable, busy.problems().get(0).reason());
        assertEquals("live", holder().orElseThrow().owner(), "the live holder keeps it");
    }

    @Test
    void confirmWhenTheLeaseWasTakenOverThenBusyAndTheNewHolderKeepsIt() {
        ProblemException lost = assertThrows(ProblemException.class, () -> mutex(Duration.ofSeconds(5))
                .holding(ClusterMutex.USERS, ClusterMutex.MANAGERS, held -> {
                    Claims.Claim mine = holder().orElseThrow();
                    Instant later = T0.plus(ClusterMutex.LEASE).plusSeconds(1);
                    assertTrue(store.claims().acquireLease(ClusterMutex.USERS, ClusterMutex.MANAGERS, "other", later,
                            ClusterMutex.LEASE).isEmpty(), "another instance took the expired lease over from " + mine);
                    held.confirm();
                    return "written";
                }));
        assertEquals(Reason.StoreUnavailable, lost.problems().get(0).reason());
        assertEquals("other", holder().orElseThrow().owner(), "releasing a lost lease leaves the new holder's");
    }

    @Test
    void tagKeyIsEightHexDigitsForEveryTag() {
        assertEquals("00000000", ClusterMutex.tagKey(0));
        assertEquals("ffffffff", ClusterMutex.tagKey(-1));
        assertEquals("8a432eb3", ClusterMutex.tagKey(0x8a432eb3));
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
