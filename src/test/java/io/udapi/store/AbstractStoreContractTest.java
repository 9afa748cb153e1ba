package io.udapi.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.audit.AuditEvent;
import io.udapi.audit.AuditEvent.Action;
import io.udapi.audit.AuditEvent.ObjectType;
import io.udapi.audit.Stamp;
import io.udapi.audit.Versioned;
import io.udapi.definition.ActionMeta;
import io.udapi.definition.ActionType;
import io.udapi.definition.ApiDefinition;
import io.udapi.definition.InputType;
import io.udapi.store.error.DuplicateIdException;
import io.udapi.store.error.ObjectNotFoundException;
import io.udapi.store.error.VersionConflictException;
import io.udapi.token.ApiToken;
import io.udapi.token.PreviousSecret;
import io.udapi.token.RateLimit;
import io.udapi.token.SourceRanges;
import io.udapi.user.AdminUser;
import io.udapi.user.Permission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The executable contract of {@link Store}, {@link Repository} and {@link EventLog}: every backend
 * subclasses this and supplies a fresh, empty store per test. Repository behaviour is checked for each
 * of the three repositories (parameterised by {@link Kind}); round trips are checked per record type.
 */
public abstract class AbstractStoreContractTest {

    /** Nanosecond precision on purpose: a backend that truncates to milliseconds must fail. */
    protected static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456789Z");

    protected Store store;

    /** A new, empty store; called before each test. */
    protected abstract Store openStore() throws Exception;

    /** Releases what {@link #openStore()} created; called after each test. */
    protected void closeStore() throws Exception {
    }

    /** How many objects the listing test stores; beyond one page of any paging implementation. */
    protected int manyObjects() {
        return 1_500;
    }

    @BeforeEach
    void openFreshStore() throws Exception {
        store = openStore();
    }

    @AfterEach
    void closeFreshStore() throws Exception {
        closeStore();
    }

    // ---- fixtures -------------------------------------------------------------------------------

    protected static ApiToken token(String id) {
        return new ApiToken(id, "tok-" + id.substring(0, 8), "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
                -123_456_789, "abcd", false, T0.plus(Duration.ofDays(30)),
                new RateLimit(10, Duration.ofMinutes(1)), Stamp.created("admin", T0), 1);
    }

    protected static ApiDefinition definition(String id) {
        return new ApiDefinition(id, "Ticket status", "Looks up a ticket", "tickets/{id}/status",
                Set.of("t-1", "t-2"), ActionType.AutomationScript, new ActionMeta("status.ps1", InputType.Parameters),
                Stamp.created("admin", T0), 1);
    }

    /** Users are keyed by the lower-cased name, so the "id" here becomes part of the name. */
    protected static AdminUser user(String id) {
        return new AdminUser("User-" + id, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$cHc",
                EnumSet.of(Permission.TOKENS_READ, Permission.EVENTS_READ), Stamp.created("admin", T0), 1);
    }

    /** One repository of the store, with how to make a new object and its next revision. */
    public record Kind<T extends Versioned>(String name, Function<Store, Repository<T>> repository,
                                            Supplier<T> fresh, UnaryOperator<T> next) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind<?>> kinds() {
        return Stream.of(
                new Kind<>("tokens", Store::tokens, () -> token(UUID.randomUUID().toString()),
                        t -> t.withDisabled(!t.disabled()).next("editor", T0.plusSeconds(t.version()))),
                new Kind<>("definitions", Store::definitions, () -> definition(UUID.randomUUID().toString()),
                        d -> d.with(d.name(), "revision " + (d.version() + 1), d.route(), d.allowedTokens(),
                                d.actionType(), d.actionMeta()).next("editor", T0.plusSeconds(d.version()))),
                new Kind<>("users", Store::users, () -> user(UUID.randomUUID().toString()),
                        u -> u.with(u.passwordHash() + "x", u.permissions()).next("editor", T0.plusSeconds(u.version()))));
    }

    private static <T> T unchecked(Callable<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // ---- create / find / list -------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void createThenFindReturnsAnEqualObject(Kind<T> kind) {
        Repository<T> repo = kind.repository().apply(store);
        T value = kind.fresh().get();

        repo.create(value);

        assertEquals(Optional.of(value), repo.find(value.id()));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void findWhenIdUnknownThenEmpty(Kind<T> kind) {
        Repository<T> repo = kind.repository().apply(store);
        repo.create(kind.fresh().get());   // the repository exists, the id does not

        assertEquals(Optional.empty(), repo.find("unknown-id"));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void listWhenNothingStoredThenEmpty(Kind<T> kind) {
        assertEquals(List.of(), kind.repository().apply(store).list());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void listReturnsEveryCreatedObject(Kind<T> kind) {
        Repository<T> repo = kind.repository().apply(store);
        List<T> created = Stream.generate(kind.fresh()).limit(5).toList();
        created.forEach(repo::create);

        assertSameElements(created, repo.list());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void createWhenIdTakenThenDuplicateIdAndOriginalKept(Kind<T> kind) {
        Repository<T> repo = kind.repository().apply(store);
        T original = kind.fresh().get();
        repo.create(original);
        T sameId = kind.next().apply(original);

        assertThrows(DuplicateIdException.class, () -> repo.create(sameId));
        assertEquals(Optional.of(original), repo.find(original.id()));
        assertEquals(List.of(original), repo.list());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void createAfterDeleteReusesTheId(Kind<T> kind) {
        Repository<T> repo = kind.repository().apply(store);
        T value = kind.fresh().get();
        repo.create(value);
        repo.delete(value.id(), value.version());

        repo.create(value);

        assertEquals(Optional.of(value), repo.find(value.id()));
    }

    // ---- update ---------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void updateWhenVersionIsNextThenReplaced(Kind<T> kind) {
        Repository<T> repo = kind.repository().apply(store);
        T v1 = kind.fresh().get();
        repo.create(v1);
        T v2 = kind.next().apply(v1);
        T v3 = kind.next().apply(v2);

        repo.update(v2);
        repo.update(v3);

        assertEquals(3, v3.version());
        assertEquals(Optional.of(v3), repo.find(v1.id()));
        assertEquals(List.of(v3), repo.list());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void updateWhenVersionUnchangedThenVersionConflict(Kind<T> kind) {
        Repository<T> repo = kind.repository().apply(store);
        T v1 = kind.fresh().get();
        repo.create(v1);

        assertThrows(VersionConflictException.class, () -> repo.update(v1));
        assertEquals(Optional.of(v1), repo.find(v1.id()));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void updateWhenVersionSkipsAheadThenVersionConflict(Kind<T> kind) {
        Repository<T> repo = kind.repository().apply(store);
        T v1 = kind.fresh().get();
        repo.create(v1);
        T v3 = kind.next().apply(kind.next().apply(v1));

        assertThrows(VersionConflictException.class, () -> repo.update(v3));
        assertEquals(Optional.of(v1), repo.find(v1.id()));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void updateWhenBasedOnAStaleVersionThenVersionConflict(Kind<T> kind) {
        Repository<T> repo = kind.repository().apply(store);
        T v1 = kind.fresh().get();
        repo.create(v1);
        T mine = kind.next().apply(v1);
        T theirs = kind.next().apply(kind.next().apply(v1)); // another writer got to version 2 first
        repo.update(kind.next().apply(v1));

        assertThrows(VersionConflictException.class, () -> repo.update(mine));
        assertEquals(2, repo.find(v1.id()).orElseThrow().version());
        repo.update(theirs);  // based on 2, so accepted
        assertEquals(Optional.of(theirs), repo.find(v1.id()));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void updateWhenMissingThenObjectNotFound(Kind<T> kind) {
        Repository<T> repo = kind.repository().apply(store);
        T neverCreated = kind.next().apply(kind.fresh().get());

        assertThrows(ObjectNotFoundException.class, () -> repo.update(neverCreated));
        assertEquals(Optional.empty(), repo.find(neverCreated.id()));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void concurrentUpdatesFromTheSameVersionThenExactlyOneWins(Kind<T> kind) throws Exception {
        Repository<T> repo = kind.repository().apply(store);
        T v1 = kind.fresh().get();
        repo.create(v1);
        T v2 = kind.next().apply(v1);
        int writers = 6;
        AtomicInteger conflicts = new AtomicInteger();

        List<Boolean> won = runConcurrently(writers, () -> {
            try {
                repo.update(v2);
                return true;
            } catch (VersionConflictException expected) {
                conflicts.incrementAndGet();
                return false;
            }
        });

        assertEquals(1, won.stream().filter(w -> w).count(), "writers that succeeded");
        assertEquals(writers - 1, conflicts.get());
        assertEquals(Optional.of(v2), repo.find(v1.id()));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void concurrentCreatesOfOneIdThenExactlyOneWins(Kind<T> kind) throws Exception {
        Repository<T> repo = kind.repository().apply(store);
        T value = kind.fresh().get();

        List<Boolean> won = runConcurrently(6, () -> {
            try {
                repo.create(value);
                return true;
            } catch (DuplicateIdException expected) {
                return false;
            }
        });

        assertEquals(1, won.stream().filter(w -> w).count(), "writers that succeeded");
        assertEquals(List.of(value), repo.list());
    }

    // ---- delete ---------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void deleteWhenVersionMatchesThenGone(Kind<T> kind) {
        Repository<T> repo = kind.repository().apply(store);
        T kept = kind.fresh().get();
        T v1 = kind.fresh().get();
        repo.create(kept);
        repo.create(v1);
        T v2 = kind.next().apply(v1);
        repo.update(v2);

        repo.delete(v1.id(), 2);

        assertEquals(Optional.empty(), repo.find(v1.id()));
        assertEquals(List.of(kept), repo.list());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void deleteWhenVersionStaleThenVersionConflictAndKept(Kind<T> kind) {
        Repository<T> repo = kind.repository().apply(store);
        T v1 = kind.fresh().get();
        repo.create(v1);
        T v2 = kind.next().apply(v1);
        repo.update(v2);

        assertThrows(VersionConflictException.class, () -> repo.delete(v1.id(), 1));
        assertThrows(VersionConflictException.class, () -> repo.delete(v1.id(), 3));
        assertEquals(Optional.of(v2), repo.find(v1.id()));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void deleteWhenMissingThenObjectNotFound(Kind<T> kind) {
        Repository<T> repo = kind.repository().apply(store);

        assertThrows(ObjectNotFoundException.class, () -> repo.delete("missing-id", 1));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    <T extends Versioned> void deleteTwiceThenObjectNotFound(Kind<T> kind) {
        Repository<T> repo = kind.repository().apply(store);
        T v1 = kind.fresh().get();
        repo.create(v1);
        repo.delete(v1.id(), 1);

        assertThrows(ObjectNotFoundException.class, () -> repo.delete(v1.id(), 1));
        assertThrows(ObjectNotFoundException.class, () -> repo.update(kind.next().apply(v1)));
    }

    // ---- many objects ---------------------------------------------------------------------------

    /**
     * Stores many tokens for the listing test. The default creates them one by one on 8 threads; a
     * backend may override it with a faster path that leaves the same stored state (single creates are
     * covered by every other test; this one is about listing many).
     */
    protected void createMany(List<ApiToken> tokens) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (ApiToken token : tokens) {
                writes.add(pool.submit(() -> store.tokens().create(token)));
            }
            for (Future<?> write : writes) {
                write.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void listWhenManyObjectsThenReturnsEveryOne() throws Exception {
        int count = manyObjects();
        List<ApiToken> tokens = IntStream.range(0, count)
                .mapToObj(i -> token(String.format("%08d-%s", i, UUID.randomUUID()))).toList();
        createMany(tokens);

        List<ApiToken> listed = store.tokens().list();

        assertEquals(count, listed.size());
        assertEquals(tokens.stream().map(ApiToken::id).collect(Collectors.toSet()),
                listed.stream().map(ApiToken::id).collect(Collectors.toSet()));
        assertSameElements(tokens, listed);
    }

    // ---- round trips ----------------------------------------------------------------------------

    @Test
    void tokenRoundTripKeepsEveryField() {
        ApiToken token = new ApiToken(UUID.randomUUID().toString(), "Full_token-1", "$argon2id$v=19$m=19456,t=2,p=1$YQ$Yg",
                Integer.MIN_VALUE, "a+/=", true, Instant.parse("2030-12-31T23:59:59.999999999Z"),
                new RateLimit(100, Duration.ofMillis(86_399_999)),
                new PreviousSecret("$argon2id$v=19$m=19456,t=2,p=1$Yg$Yw", -7, "udap", T0.plusSeconds(3600), T0.minusNanos(1)),
                new SourceRanges(List.of("10.0.0.0/8", "2001:db8::/32", "192.0.2.1/32")),
                new Stamp("creator", T0, "modifier", T0.plusNanos(1)), Long.MAX_VALUE - 1);

        store.tokens().create(token);

        ApiToken read = store.tokens().find(token.id()).orElseThrow();
        assertEquals(token, read);
        assertEquals(T0.plusSeconds(3600), read.previousSecret().expiresAt());
        assertEquals(List.of("10.0.0.0/8", "2001:db8::/32", "192.0.2.1/32"), read.allowedSourceRanges().cidrs());
        assertEquals(Duration.ofMillis(86_399_999), read.rateLimit().window());
        assertEquals(123_456_790, read.stamp().lastModified().getNano());
        assertEquals(List.of(token), store.tokens().list());
    }

    @Test
    void tokenRoundTripKeepsNulls() {
        ApiToken token = new ApiToken(UUID.randomUUID().toString(), "plain", "hash", 0, "zzzz", false, null, null,
                Stamp.created("admin", Instant.EPOCH), 1);

        store.tokens().create(token);

        ApiToken read = store.tokens().find(token.id()).orElseThrow();
        assertEquals(token, read);
        assertEquals(null, read.expiresAt());
        assertEquals(null, read.rateLimit());
        assertEquals(null, read.previousSecret());
        assertEquals(null, read.allowedSourceRanges());
    }

    @Test
    void definitionRoundTripKeepsEveryFieldAndNulls() {
        ApiDefinition full = definition(UUID.randomUUID().toString());
        ApiDefinition sparse = new ApiDefinition(UUID.randomUUID().toString(), null, null, "a/{b}/c", Set.of(),
                ActionType.AutomationScriptNoEntryPoint, new ActionMeta("run.sh", null),
                new Stamp("c", T0, "m", T0.plusSeconds(5)), 7);

        store.definitions().create(full);
        store.definitions().create(sparse);

        assertEquals(Optional.of(full), store.definitions().find(full.id()));
        ApiDefinition read = store.definitions().find(sparse.id()).orElseThrow();
        assertEquals(sparse, read);
        assertEquals(null, read.name());
        assertEquals(null, read.description());
        assertEquals(Set.of(), read.allowedTokens());
        assertEquals(null, read.actionMeta().inputType());
        assertSameElements(List.of(full, sparse), store.definitions().list());
    }

    @Test
    void userRoundTripKeepsEveryPermissionAndIsKeyedByLowerCaseName() {
        AdminUser all = new AdminUser("Alice_Admin", "hash-a", EnumSet.allOf(Permission.class),
                Stamp.created("bootstrap", T0), 1);
        AdminUser none = new AdminUser("bob", "hash-b", Set.of(), Stamp.created("alice_admin", T0), 1);

        store.users().create(all);
        store.users().create(none);

        assertEquals(Optional.of(all), store.users().find("alice_admin"));
        assertEquals(EnumSet.allOf(Permission.class), store.users().find("alice_admin").orElseThrow().permissions());
        assertEquals(Set.of(), store.users().find("bob").orElseThrow().permissions());
        assertThrows(DuplicateIdException.class, () -> store.users().create(new AdminUser("ALICE_ADMIN", "other",
                Set.of(), Stamp.created("x", T0), 1)));
    }

    @Test
    void repositoriesAreSeparateNamespaces() {
        String id = UUID.randomUUID().toString();
        store.tokens().create(token(id));
        store.definitions().create(definition(id));

        assertEquals(List.of(id), store.tokens().list().stream().map(Versioned::id).toList());
        assertEquals(List.of(id), store.definitions().list().stream().map(Versioned::id).toList());
        store.tokens().delete(id, 1);
        assertTrue(store.definitions().find(id).isPresent());
        assertEquals(List.of(), store.users().list());
    }

    @Test
    void kindIsNamed() {
        assertTrue(store.kind() != null && !store.kind().isBlank());
    }

    // ---- events ---------------------------------------------------------------------------------

    private static AuditEvent event(long offsetMillis, ObjectType type, String objectId, Action action) {
        Instant at = T0.plusMillis(offsetMillis);
        return new AuditEvent(String.format("%013d-abcdef-%08d", at.toEpochMilli(), offsetMillis + 1_000), at,
                "admin", action, type, objectId, type + " " + objectId);
    }

    /** Six events over five seconds, appended out of order. */
    private List<AuditEvent> appendSample() {
        List<AuditEvent> events = List.of(
                event(3000, ObjectType.token, "tok-1", Action.updated),
                event(0, ObjectType.token, "tok-1", Action.created),
                event(1000, ObjectType.definition, "def-1", Action.created),
                event(2000, ObjectType.user, "bob", Action.created),
                event(5000, ObjectType.token, "tok-1", Action.deleted),
                event(4000, ObjectType.definition, "def-1", Action.updated));
        events.forEach(store.events()::append);
        return events;
    }

    private static List<Long> offsets(List<AuditEvent> events) {
        return events.stream().map(e -> Duration.between(T0, e.at()).toMillis()).toList();
    }

    @Test
    void findWhenNoEventsThenEmpty() {
        assertEquals(List.of(), store.events().find(new EventQuery(null, null, null, 100)));
    }

    @Test
    void findWithoutFilterReturnsEveryEventNewestFirst() {
        appendSample();

        List<AuditEvent> found = store.events().find(new EventQuery(null, null, null, 100));

        assertEquals(List.of(5000L, 4000L, 3000L, 2000L, 1000L, 0L), offsets(found));
    }

    @Test
    void findFiltersByObjectType() {
        appendSample();

        List<AuditEvent> found = store.events().find(new EventQuery(ObjectType.definition, null, null, 100));

        assertEquals(List.of(4000L, 1000L), offsets(found));
        assertTrue(found.stream().allMatch(e -> e.objectType() == ObjectType.definition));
    }

    @Test
    void findFiltersByObjectId() {
        appendSample();

        List<AuditEvent> found = store.events().find(new EventQuery(null, "tok-1", null, 100));

        assertEquals(List.of(5000L, 3000L, 0L), offsets(found));
    }

    @Test
    void findWithSinceIncludesAnEventAtExactlySince() {
        appendSample();

        List<AuditEvent> found = store.events().find(new EventQuery(null, null, T0.plusMillis(3000), 100));

        assertEquals(List.of(5000L, 4000L, 3000L), offsets(found));
    }

    @Test
    void findWithSinceOneNanosecondLaterExcludesThatEvent() {
        appendSample();

        List<AuditEvent> found = store.events().find(new EventQuery(null, null, T0.plusMillis(3000).plusNanos(1), 100));

        assertEquals(List.of(5000L, 4000L), offsets(found));
    }

    @Test
    void findCombinesEveryFilter() {
        appendSample();

        assertEquals(List.of(5000L, 3000L),
                offsets(store.events().find(new EventQuery(ObjectType.token, "tok-1", T0.plusMillis(1), 100))));
        assertEquals(List.of(), store.events().find(new EventQuery(ObjectType.user, "tok-1", null, 100)));
    }

    @Test
    void findReturnsAtMostLimitOfTheNewest() {
        appendSample();

        assertEquals(List.of(5000L, 4000L), offsets(store.events().find(new EventQuery(null, null, null, 2))));
        assertEquals(List.of(5000L), offsets(store.events().find(new EventQuery(ObjectType.token, null, null, 1))));
    }

    @Test
    void findOrdersEventsOfOneInstantByIdAndEventsANanosecondApart() {
        Instant at = T0.plusSeconds(60);
        AuditEvent a = new AuditEvent("0000000000001-aaaaaa-00000001", at, "u", Action.created, ObjectType.token, "x", "s");
        AuditEvent b = new AuditEvent("0000000000001-aaaaaa-00000002", at, "u", Action.updated, ObjectType.token, "x", "s");
        AuditEvent c = new AuditEvent("0000000000000-aaaaaa-00000003", at.plusNanos(1), "u", Action.deleted,
                ObjectType.token, "x", "s");
        store.events().append(b);
        store.events().append(c);
        store.events().append(a);

        assertEquals(List.of(c, b, a), store.events().find(new EventQuery(null, null, null, 10)));
    }

    @Test
    void eventRoundTripKeepsEveryFieldAndNulls() {
        AuditEvent full = new AuditEvent("0001740824130123-abcdef-00000001", T0, "alice", Action.updated,
                ObjectType.definition, UUID.randomUUID().toString(), "tickets/{id}/status");
        AuditEvent sparse = new AuditEvent("0001740824130124-abcdef-00000002", T0.plusMillis(1), "alice",
                Action.deleted, ObjectType.user, "bob", null);
        store.events().append(full);
        store.events().append(sparse);

        assertEquals(List.of(sparse, full), store.events().find(new EventQuery(null, null, null, 10)));
    }

    // ---- change feed ----------------------------------------------------------------------------

    /** Drains the feed from {@code cursor} in pages of {@code max}; distinct events, first delivery order. */
    private List<AuditEvent> drain(long cursor, int max, Set<String> ignore) {
        java.util.LinkedHashMap<String, AuditEvent> seen = new java.util.LinkedHashMap<>();
        for (int reads = 0; reads < 100; reads++) {
            EventPage page = store.events().changesAfter(cursor, max);
            assertTrue(page.nextCursor() >= cursor, "the cursor never moves back");
            int before = seen.size();
            page.events().stream().filter(e -> !ignore.contains(e.id())).forEach(e -> seen.putIfAbsent(e.id(), e));
            if (page.nextCursor() == cursor && seen.size() == before) {
                break;
            }
            cursor = page.nextCursor();
        }
        return List.copyOf(seen.values());
    }

    @Test
    void changesAfterHeadCursorReturnsOnlyLaterEventsOldestFirst() {
        List<AuditEvent> earlier = appendSample();
        long head = store.events().headCursor();
        List<AuditEvent> later = List.of(
                event(9000, ObjectType.token, "tok-9", Action.created),
                event(7000, ObjectType.definition, "def-7", Action.deleted),  // recorded order, not time order
                event(8000, ObjectType.user, "carol", Action.updated));
        later.forEach(store.events()::append);

        Set<String> before = earlier.stream().map(AuditEvent::id).collect(Collectors.toSet());
        assertEquals(later, drain(head, 100, before));
    }

    @Test
    void changesAfterPagesThroughEveryEventWithoutLosingOne() {
        long head = store.events().headCursor();
        List<AuditEvent> later = IntStream.range(0, 25)
                .mapToObj(i -> event(i * 10L, ObjectType.token, "tok-" + i, Action.updated)).toList();
        later.forEach(store.events()::append);

        assertEquals(later, drain(head, 4, Set.of()));
    }

    @Test
    void changesAfterWhenNothingNewThenNoNewEventAndCursorKept() {
        List<AuditEvent> earlier = appendSample();
        long head = store.events().headCursor();
        EventPage page = store.events().changesAfter(head, 100);
        Set<String> before = earlier.stream().map(AuditEvent::id).collect(Collectors.toSet());
        assertTrue(page.events().stream().allMatch(e -> before.contains(e.id())), "only repeats of earlier events");
        assertEquals(head, page.nextCursor());
    }

    @Test
    void headCursorAdvancesOnAppend() {
        long empty = store.events().headCursor();
        store.events().append(event(0, ObjectType.token, "tok-1", Action.created));
        assertTrue(store.events().headCursor() > empty);
    }

    // ---- claims ---------------------------------------------------------------------------------

    @Test
    void claimWhenFreeThenHeldByTheClaimer() {
        assertTrue(store.claims().claim("token-name", "alpha", "owner-1", T0));
        assertEquals(Optional.of(new Claims.Claim("owner-1", T0)), store.claims().owner("token-name", "alpha"));
    }

    @Test
    void claimWhenHeldByTheSameOwnerThenTrue() {
        store.claims().claim("token-name", "alpha", "owner-1", T0);
        assertTrue(store.claims().claim("token-name", "alpha", "owner-1", T0.plusSeconds(1)));
    }

    @Test
    void claimWhenHeldByAnotherOwnerThenFalseAndKept() {
        store.claims().claim("token-name", "alpha", "owner-1", T0);
        assertEquals(false, store.claims().claim("token-name", "alpha", "owner-2", T0));
        assertEquals("owner-1", store.claims().owner("token-name", "alpha").orElseThrow().owner());
    }

    @Test
    void claimsOfDifferentKindsOrKeysAreIndependent() {
        assertTrue(store.claims().claim("token-name", "a/{}", "owner-1", T0));
        assertTrue(store.claims().claim("route", "a/{}", "owner-2", T0));
        assertTrue(store.claims().claim("route", "a/b", "owner-3", T0));
        assertEquals(Optional.empty(), store.claims().owner("route", "missing"));
    }

    @Test
    void releaseWhenHeldByAnotherOwnerThenKept() {
        store.claims().claim("route", "x/{}", "owner-1", T0);
        store.claims().release("route", "x/{}", "owner-2");
        assertEquals("owner-1", store.claims().owner("route", "x/{}").orElseThrow().owner());
        store.claims().release("route", "x/{}", "owner-1");
        assertEquals(Optional.empty(), store.claims().owner("route", "x/{}"));
        assertTrue(store.claims().claim("route", "x/{}", "owner-2", T0));
    }

    @Test
    void takeOverWhenExpectedOwnerHoldsThenHandedOver() {
        store.claims().claim("token-name", "alpha", "stale", T0);
        assertTrue(store.claims().takeOver("token-name", "alpha", "stale", "fresh", T0.plusSeconds(60)));
        assertEquals("fresh", store.claims().owner("token-name", "alpha").orElseThrow().owner());
    }

    @Test
    void takeOverWhenAThirdOwnerHoldsThenFalse() {
        store.claims().claim("token-name", "alpha", "third", T0);
        assertEquals(false, store.claims().takeOver("token-name", "alpha", "stale", "fresh", T0));
        assertEquals("third", store.claims().owner("token-name", "alpha").orElseThrow().owner());
    }

    @Test
    void concurrentClaimsOfOneKeyThenExactlyOneWins() throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Boolean> won = runConcurrently(8, () -> store.claims().claim("token-name", "race", "owner-"
                + next.incrementAndGet(), T0));
        assertEquals(1, won.stream().filter(w -> w).count());
    }

    @Test
    void concurrentTakeOversOfOneStaleClaimThenExactlyOneWins() throws Exception {
        store.claims().claim("route", "r/{}", "stale", T0);
        AtomicInteger next = new AtomicInteger();
        List<Boolean> won = runConcurrently(8, () -> store.claims().takeOver("route", "r/{}", "stale", "owner-"
                + next.incrementAndGet(), T0));
        assertEquals(1, won.stream().filter(w -> w).count());
    }

    // ---- leases (claims used as a cross-instance mutex) -----------------------------------------

    private static final Duration LEASE = Duration.ofSeconds(20);

    @Test
    void acquireLeaseWhenFreeThenHeldByTheCaller() {
        assertEquals(Optional.empty(), store.claims().acquireLease("secret-tag", "0000abcd", "lease-1", T0, LEASE));
        assertEquals(Optional.of(new Claims.Claim("lease-1", T0)), store.claims().owner("secret-tag", "0000abcd"));
    }

    @Test
    void acquireLeaseWhenHeldWithinTheLeaseThenRefusedWithTheHolder() {
        store.claims().acquireLease("users", "managers", "lease-1", T0, LEASE);
        // exactly at the end of the lease it still counts: only a claim older than the lease is taken over
        Optional<Claims.Claim> refused = store.claims().acquireLease("users", "managers", "lease-2", T0.plus(LEASE), LEASE);
        assertEquals(Optional.of(new Claims.Claim("lease-1", T0)), refused);
        assertEquals("lease-1", store.claims().owner("users", "managers").orElseThrow().owner());
    }

    @Test
    void acquireLeaseWhenHeldBySelfThenHeld() {
        store.claims().acquireLease("users", "managers", "lease-1", T0, LEASE);
        assertEquals(Optional.empty(), store.claims().acquireLease("users", "managers", "lease-1", T0.plusSeconds(1), LEASE));
    }

    @Test
    void acquireLeaseWhenOlderThanTheLeaseThenTakenOverWithTheNewTime() {
        store.claims().acquireLease("secret-tag", "0000abcd", "crashed", T0, LEASE);
        Instant later = T0.plus(LEASE).plusNanos(1);
        assertEquals(Optional.empty(), store.claims().acquireLease("secret-tag", "0000abcd", "lease-2", later, LEASE));
        assertEquals(Optional.of(new Claims.Claim("lease-2", later)), store.claims().owner("secret-tag", "0000abcd"));
        // the crashed holder's late release does not free the new holder's lease
        store.claims().release("secret-tag", "0000abcd", "crashed");
        assertEquals("lease-2", store.claims().owner("secret-tag", "0000abcd").orElseThrow().owner());
    }

    @Test
    void acquireLeaseAfterReleaseThenTheNextCallerHoldsIt() {
        store.claims().acquireLease("users", "managers", "lease-1", T0, LEASE);
        store.claims().release("users", "managers", "lease-1");
        assertEquals(Optional.empty(), store.claims().acquireLease("users", "managers", "lease-2", T0.plusSeconds(1), LEASE));
        assertEquals("lease-2", store.claims().owner("users", "managers").orElseThrow().owner());
    }

    @Test
    void concurrentLeasesOfOneFreeKeyThenExactlyOneHolds() throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Boolean> held = runConcurrently(8, () -> store.claims().acquireLease("users", "managers",
                "lease-" + next.incrementAndGet(), T0, LEASE).isEmpty());
        assertEquals(1, held.stream().filter(h -> h).count());
    }

    @Test
    void concurrentTakeOversOfOneExpiredLeaseThenExactlyOneHolds() throws Exception {
        store.claims().acquireLease("secret-tag", "0000abcd", "crashed", T0, LEASE);
        Instant later = T0.plus(LEASE).plusSeconds(1);
        AtomicInteger next = new AtomicInteger();
        List<Boolean> held = runConcurrently(8, () -> store.claims().acquireLease("secret-tag", "0000abcd",
                "lease-" + next.incrementAndGet(), later, LEASE).isEmpty());
        assertEquals(1, held.stream().filter(h -> h).count());
        assertTrue(store.claims().owner("secret-tag", "0000abcd").orElseThrow().owner().startsWith("lease-"));
    }

    // ---- tokens by lookup tag -------------------------------------------------------------------

    @Test
    void tokensWithTagThenEveryStoredTokenOfThatTagAndNoOther() {
        ApiToken first = token(UUID.randomUUID().toString());
        ApiToken second = withTag(token(UUID.randomUUID().toString()), first.lookupTag());
        ApiToken other = withTag(token(UUID.randomUUID().toString()), first.lookupTag() + 1);
        store.tokens().create(first);
        store.tokens().create(second);
        store.tokens().create(other);
        assertSameElements(List.of(first, second), store.tokensWithTag(first.lookupTag()));
        assertEquals(List.of(), store.tokensWithTag(first.lookupTag() + 2));
    }

    @Test
    void tokensWithTagAfterANewSecretThenFoundUnderTheNewTagOnly() {
        ApiToken token = token(UUID.randomUUID().toString());
        store.tokens().create(token);
        ApiToken rotated = token.withSecret("$argon2id$v=19$m=19456,t=2,p=1$c2FsdDI$aGFzaDI", 77, "wxyz")
                .next("admin", T0.plusSeconds(1));
        store.tokens().update(rotated);
        assertEquals(List.of(rotated), store.tokensWithTag(77));
        assertEquals(List.of(), store.tokensWithTag(token.lookupTag()));
        store.tokens().delete(rotated.id(), rotated.version());
        assertEquals(List.of(), store.tokensWithTag(77));
    }

    @Test
    void tokensWithTagDuringARotationOverlapThenFoundUnderTheCurrentAndThePreviousTag() {
        ApiToken token = token(UUID.randomUUID().toString());
        store.tokens().create(token);
        ApiToken rotated = token.rotatedTo("$argon2id$v=19$m=19456,t=2,p=1$c2FsdDI$aGFzaDI", 78, "wxyz",
                T0, T0.plusSeconds(3600)).next("admin", T0.plusSeconds(1));
        store.tokens().update(rotated);

        assertEquals(List.of(rotated), store.tokensWithTag(78));
        assertEquals(List.of(rotated), store.tokensWithTag(token.lookupTag()), "by the previous secret's tag");

        ApiToken ended = rotated.withPreviousSecret(null).next("admin", T0.plusSeconds(2));
        store.tokens().update(ended);
        assertEquals(List.of(), store.tokensWithTag(token.lookupTag()), "the overlap ended: the old tag is gone");
        assertEquals(List.of(ended), store.tokensWithTag(78));
    }

    private static ApiToken withTag(ApiToken token, int tag) {
        return token.withSecret(token.secretHash(), tag, token.secretHint());
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** Equal as multisets: same objects, any order ({@code list()} promises no order). */
    protected static <T extends Versioned> void assertSameElements(Collection<T> expected, Collection<T> actual) {
        Comparator<T> byId = Comparator.comparing(Versioned::id);
        assertEquals(expected.stream().sorted(byId).toList(), actual.stream().sorted(byId).toList());
    }

    /** Runs {@code task} on {@code threads} threads released at once; their results in thread order. */
    protected static <R> List<R> runConcurrently(int threads, Callable<R> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
