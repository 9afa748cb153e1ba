package io.udapi.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.audit.AuditEvent;
import io.udapi.registry.Registry;
import io.udapi.registry.TestRegistries;
import io.udapi.secret.Argon2Params;
import io.udapi.secret.LookupTagger;
import io.udapi.secret.SecretGenerator;
import io.udapi.secret.SecretHasher;
import io.udapi.secret.VerificationGate;
import io.udapi.problem.ProblemException;
import io.udapi.problem.Reason;
import io.udapi.store.Claims;
import io.udapi.store.EventQuery;
import io.udapi.store.Repository;
import io.udapi.store.Store;
import io.udapi.store.StoreJson;
import io.udapi.store.StoreParts;
import io.udapi.store.error.StoreUnavailableException;
import io.udapi.store.file.FileStore;
import io.udapi.token.ApiToken;
import io.udapi.user.AdminUser;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one admin write path outside CDI, over a file store (docs/architecture.md, "Admin writes"): hashing
 * happens before the write lock, a refused store write leaves no claim behind, an unclear one (an outage) is
 * settled by reading back, a guard's mutex is confirmed under the write lock, a rename moves the claim, and a
 * change that changes nothing writes nothing.
 */
class AdminWritesTest {

    private static final Caller CALLER = new Caller("tester", Set.of(), "-");
    private static final String PASSWORD = "a-password-of-enough-length";

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    /** How the test store answers token writes (and, for {@link TokenStore#DOWN_FOR_READS_TOO}, token reads). */
    enum TokenStore { WORKS, DOWN, APPLIES_THEN_ANSWERS_DOWN, DOWN_FOR_READS_TOO }

    private final AtomicReference<TokenStore> tokenStore = new AtomicReference<>(TokenStore.WORKS);
    private final WriteLock writeLock = new WriteLock();
    private FileStore files;
    private Store store;
    private Registry registry;
    private AdminWrites writes;
    private ExecutorService pool;

    @BeforeEach
    void open() {
        files = new FileStore(dir, StoreJson.mapper());
        store = failingTokenWrites(files);
        registry = TestRegistries.empty();
        writes = new AdminWrites(store, registry, new AuditTrail(store, clock, StoreJson.mapper()), writeLock,
                new UniqueKeys(store, clock), new ClusterMutex(store, clock), clock);
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
    }

    @Test
    void createUserWhileAnotherPasswordIsBeingHashedThenItIsWrittenWithoutWaiting() throws Exception {
        CountDownLatch hashing = new CountDownLatch(1);
        CountDownLatch finishHash = new CountDownLatch(1);
        UnaryOperator<String> hasher = password -> {
            if (password.startsWith("slow")) {
                hashing.countDown();
                await(finishHash);
            }
            return "$argon2id$fake$" + password.length();
        };
        UserAdmin users = new UserAdmin(writes, store, registry, hasher, clock);

        Future<AdminUser> slow = pool.submit(() -> users.create(CALLER, userBody("slow-user", "slow-" + PASSWORD)));
        assertTrue(hashing.await(10, TimeUnit.SECONDS), "the slow hash started");
        // were the hash run under the write lock, this write would wait for finishHash, which only follows it
        AdminUser quick = pool.submit(() -> users.create(CALLER, userBody("quick-user", PASSWORD)))
                .get(10, TimeUnit.SECONDS);

        assertEquals("quick-user", quick.name());
        assertFalse(slow.isDone(), "the slow create is still hashing");
        finishHash.countDown();
        assertEquals("slow-user", slow.get(10, TimeUnit.SECONDS).name());
        assertEquals(2, store.users().list().size());
    }

    @Test
    void createTokenWhenTheStoreWriteFailsThenTheNameClaimIsReleasedAndNothingIsRecorded() {
        TokenAdmin tokens = tokens();
        tokenStore.set(TokenStore.DOWN);

        assertThrows(StoreUnavailableException.class,
                () -> tokens.create(CALLER, JsonBody.parse("{\"name\":\"Orders\"}", TokenAdmin.CREATE_FIELDS)));

        assertTrue(store.claims().owner(UniqueKeys.TOKEN_NAME, "orders").isEmpty(), "no claim left behind");
        assertTrue(registry.tokens().isEmpty());
        assertTrue(events().isEmpty());
        tokenStore.set(TokenStore.WORKS);
        ApiToken created = tokens.create(CALLER, JsonBody.parse("{\"name\":\"Orders\"}", TokenAdmin.CREATE_FIELDS)).token();
        assertEquals(created.id(), store.claims().owner(UniqueKeys.TOKEN_NAME, "orders").orElseThrow().owner());
    }

    @Test
    void createTokenWhenTheStoreAppliesTheWriteButAnswersAnOutageThenItIsCreatedOnceAndTheNameStaysClaimed() {
        TokenAdmin tokens = tokens();
        tokenStore.set(TokenStore.APPLIES_THEN_ANSWERS_DOWN);

        ApiToken created = tokens.create(CALLER, JsonBody.parse("{\"name\":\"Orders\"}", TokenAdmin.CREATE_FIELDS)).token();

        tokenStore.set(TokenStore.WORKS);
        assertEquals(List.of(created), store.tokens().list());
        assertEquals(created, registry.token(created.id()).orElseThrow());
        assertEquals(created.id(), store.claims().owner(UniqueKeys.TOKEN_NAME, "orders").orElseThrow().owner());
        assertEquals(List.of(AuditEvent.Action.created), events().stream().map(AuditEvent::action).toList());
        // the client's retry after a timeout must not make a second token of that name
        ProblemException retry = assertThrows(ProblemException.class,
                () -> tokens.create(CALLER, JsonBody.parse("{\"name\":\"orders\"}", TokenAdmin.CREATE_FIELDS)));
        assertEquals(Reason.NameInUse, retry.problems().get(0).reason());
        assertEquals(1, store.tokens().list().size());
    }

    @Test
    void createTokenWhenTheWriteAndTheReadBackBothFailThenTheNameClaimStaysAndARetryIsRefused() {
        TokenAdmin tokens = tokens();
        tokenStore.set(TokenStore.DOWN_FOR_READS_TOO);

        assertThrows(StoreUnavailableException.class,
                () -> tokens.create(CALLER, JsonBody.parse("{\"name\":\"Orders\"}", TokenAdmin.CREATE_FIELDS)));

        // unknown whether the store applied it: the claim stays until it is stale and its holder shown not to use it
        String holder = store.claims().owner(UniqueKeys.TOKEN_NAME, "orders").orElseThrow().owner();
        assertTrue(registry.tokens().isEmpty());
        assertTrue(events().isEmpty());
        tokenStore.set(TokenStore.WORKS);
        ProblemException retry = assertThrows(ProblemException.class,
                () -> tokens.create(CALLER, JsonBody.parse("{\"name\":\"Orders\"}", TokenAdmin.CREATE_FIELDS)));
        assertEquals(Reason.NameInUse, retry.problems().get(0).reason());
        assertEquals(holder, store.claims().owner(UniqueKeys.TOKEN_NAME, "orders").orElseThrow().owner());
        assertTrue(store.tokens().list().isEmpty());
    }

    @Test
    void guardedWriteWhoseMutexIsTakenOverWhileItWaitsForTheWriteLockThenBusyAndNothingWritten() throws Exception {
        UserAdmin users = new UserAdmin(writes, store, registry, password -> "$argon2id$fake$" + password.length(), clock);
        for (String name : List.of("first-manager", "second-manager")) {
            users.create(CALLER, JsonBody.parse("{\"name\":\"" + name + "\",\"password\":\"" + PASSWORD
                    + "\",\"permissions\":[\"users.manage\"]}", UserAdmin.FIELDS));
        }
        CountDownLatch holdLock = new CountDownLatch(1);
        CountDownLatch lockHeld = new CountDownLatch(1);
        Future<?> otherWrite = pool.submit(() -> writeLock.run(() -> {
            lockHeld.countDown();
            await(holdLock);
        }));
        assertTrue(lockHeld.await(10, TimeUnit.SECONDS), "another write of this instance holds the write lock");
        Future<?> delete = pool.submit(() -> users.delete(CALLER, "first-manager", null));
        // the delete has the managers' mutex and has passed its check when it parks on the write lock
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writeLock.waiting() == 0) {
            assertTrue(System.nanoTime() < deadline, "the delete never waited for the write lock");
            Thread.onSpinWait();
        }
        Claims.Claim mine = store.claims().owner(ClusterMutex.USERS, ClusterMutex.MANAGERS).orElseThrow();
        // meanwhile its lease ran out and another instance took the mutex over (as ClusterMutex does after LEASE)
        assertTrue(store.claims().takeOver(ClusterMutex.USERS, ClusterMutex.MANAGERS, mine.owner(), "other-instance",
                clock.instant()));
        holdLock.countDown();
        otherWrite.get(10, TimeUnit.SECONDS);

        java.util.concurrent.ExecutionException refused = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> delete.get(10, TimeUnit.SECONDS));
        ProblemException busy = (ProblemException) refused.getCause();
        assertEquals(Reason.StoreUnavailable, busy.problems().get(0).reason());
        assertTrue(busy.problems().get(0).message().contains("in progress on another instance"), busy.problems().toString());
        assertEquals(2, store.users().list().size(), "nothing written");
        assertTrue(registry.user("first-manager").isPresent());
    }

    @Test
    void renameTokenThenTheNewNameIsClaimedAndTheOldOneReleased() {
        TokenAdmin tokens = tokens();
        ApiToken created = tokens.create(CALLER, JsonBody.parse("{\"name\":\"Before\"}", TokenAdmin.CREATE_FIELDS)).token();

        ApiToken renamed = tokens.patch(CALLER, created.id(), "\"1\"",
                JsonBody.parse("{\"name\":\"After\"}", TokenAdmin.PATCH_FIELDS));

        assertEquals(2, renamed.version());
        assertTrue(store.claims().owner(UniqueKeys.TOKEN_NAME, "before").isEmpty());
        assertEquals(created.id(), store.claims().owner(UniqueKeys.TOKEN_NAME, "after").orElseThrow().owner());
        assertEquals(List.of(AuditEvent.Action.updated, AuditEvent.Action.created),
                events().stream().map(AuditEvent::action).toList());
    }

    @Test
    void patchTokenThatChangesNothingThenNoNewVersionAndNoEvent() {
        TokenAdmin tokens = tokens();
        ApiToken created = tokens.create(CALLER, JsonBody.parse("{\"name\":\"Same\"}", TokenAdmin.CREATE_FIELDS)).token();

        ApiToken patched = tokens.patch(CALLER, created.id(), null,
                JsonBody.parse("{\"name\":\"Same\",\"isDisabled\":false}", TokenAdmin.PATCH_FIELDS));

        assertEquals(1, patched.version());
        assertEquals(1, events().size());
    }

    private TokenAdmin tokens() {
        TokenListing listing = new TokenListing(registry, clock);
        TokenSecrets secrets = new TokenSecrets(store, registry, new WriteArgon2(new SecretHasher(new Argon2Params(8, 1, 1)),
                VerificationGate.onOwnThreads("test-argon2", 1, 16)),
                new LookupTagger("test-pepper-0123456789abcdef"), clock);
        return new TokenAdmin(writes, listing, new TokenRevocation(writes, listing, registry), secrets,
                new SecretGenerator(), registry, clock);
    }

    private List<AuditEvent> events() {
        return store.events().find(new EventQuery(null, null, null, 1000));
    }

    private static JsonBody userBody(String name, String password) {
        return JsonBody.parse("{\"name\":\"" + name + "\",\"password\":\"" + password + "\"}", UserAdmin.FIELDS);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the latch was not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The file store, whose token writes (and reads) answer as {@link #tokenStore} says. */
    private Store failingTokenWrites(Store delegate) {
        Repository<ApiToken> tokens = StoreParts.proxy(Repository.class, (proxy, method, args) -> {
            boolean write = method.getName().equals("create") || method.getName().equals("update");
            TokenStore mode = tokenStore.get();
            if (write && mode == TokenStore.APPLIES_THEN_ANSWERS_DOWN) {
                StoreParts.invoke(method, delegate.tokens(), args);
                throw new StoreUnavailableException("the test store timed out after applying the write");
            }
            if ((write && mode != TokenStore.WORKS) || mode == TokenStore.DOWN_FOR_READS_TOO) {
                throw new StoreUnavailableException("the test store is down");
            }
            return StoreParts.invoke(method, delegate.tokens(), args);
        });
        return StoreParts.replacing(delegate, "tokens", tokens);
    }
}
