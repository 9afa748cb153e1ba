package io.udapi.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.audit.AuditEvent;
import io.udapi.audit.AuditEvent.Action;
import io.udapi.audit.AuditEvent.ObjectType;
import io.udapi.store.EventLog;
import io.udapi.store.EventQuery;
import io.udapi.store.Store;
import io.udapi.store.StoreJson;
import io.udapi.store.StoreParts;
import io.udapi.store.error.StoreDataException;
import io.udapi.store.error.StoreUnavailableException;
import io.udapi.store.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail when the store cannot take an event (docs/architecture.md, "Admin writes"): the stored events
 * are the change feed other instances follow, so an event met by an outage is kept and appended again until the
 * store takes it, and then appears in the feed after the cursor every other instance holds; an event the store
 * refuses as data is not retried. Over a real file store whose event appends fail on demand.
 */
class AuditTrailTest {

    enum Events { WORK, DOWN, REFUSE }

    @TempDir
    Path dir;

    private final AtomicReference<Events> events = new AtomicReference<>(Events.WORK);
    private Store store;
    private AuditTrail audit;

    @BeforeEach
    void open() {
        FileStore files = new FileStore(dir, StoreJson.mapper());
        store = withFailingAppends(files);
        audit = new AuditTrail(store, Clock.systemUTC(), StoreJson.mapper());
    }

    @Test
    void eventMetByAnOutageThenKeptAndAppendedOnceTheStoreIsBackSoTheFeedNamesTheObject() {
        long otherInstancesCursor = store.events().headCursor();
        events.set(Events.DOWN);

        AuditEvent disabled = audit.record("admin", Action.updated, ObjectType.token, "token-1", "ci-bot");
        audit.appendUnappended();   // still down: kept

        assertEquals(1, audit.unappended());
        assertTrue(store.events().changesAfter(otherInstancesCursor, 100).events().isEmpty());
        events.set(Events.WORK);
        AuditEvent later = audit.record("admin", Action.created, ObjectType.token, "token-2", "other");
        audit.appendUnappended();

        assertEquals(0, audit.unappended());
        List<AuditEvent> feed = store.events().changesAfter(otherInstancesCursor, 100).events();
        assertEquals(List.of(later, disabled), feed, "the late event follows the cursor every other instance holds");
        assertEquals(List.of(later, disabled), store.events().find(new EventQuery(null, null, null, 10)),
                "the events list, newest first by id");
        audit.appendUnappended();
        assertEquals(2, store.events().find(new EventQuery(null, null, null, 10)).size(), "appended once");
    }

    @Test
    void eventsKeptThroughAnOutageThenAppendedOldestFirst() {
        long cursor = store.events().headCursor();
        events.set(Events.DOWN);
        AuditEvent first = audit.record("admin", Action.created, ObjectType.definition, "d-1", "a/b");
        AuditEvent second = audit.record("admin", Action.deleted, ObjectType.definition, "d-1", "a/b");
        events.set(Events.WORK);

        audit.appendUnappended();

        assertEquals(List.of(first, second), store.events().changesAfter(cursor, 100).events());
        assertEquals(0, audit.unappended());
    }

    @Test
    void eventTheStoreRefusesAsDataThenNotKeptAndTheNextOnesStillAppended() {
        events.set(Events.REFUSE);
        audit.record("admin", Action.created, ObjectType.user, "someone", "someone");
        assertEquals(0, audit.unappended(), "a 4xx is not an outage: no retry mends it");
        events.set(Events.WORK);

        AuditEvent next = audit.record("admin", Action.created, ObjectType.user, "other", "other");

        assertEquals(List.of(next), store.events().find(new EventQuery(null, null, null, 10)));
    }

    @Test
    void outageLongerThanTheBoundThenTheOldestTenThousandAreKeptAndTheRestOnlyLogged() {
        events.set(Events.DOWN);
        AuditEvent first = audit.record("admin", Action.created, ObjectType.token, "t-0", "t-0");
        for (int i = 1; i <= AuditTrail.MAX_UNAPPENDED; i++) {
            audit.record("admin", Action.updated, ObjectType.token, "t-" + i, "t-" + i);
        }

        assertEquals(AuditTrail.MAX_UNAPPENDED, audit.unappended(), "one over the bound is not kept");
        long cursor = store.events().headCursor();
        events.set(Events.WORK);
        audit.appendUnappended();

        assertEquals(0, audit.unappended());
        List<AuditEvent> stored = store.events().changesAfter(cursor, 1000).events();
        assertEquals(first, stored.get(0), "kept oldest first");
    }

    @Test
    void eventsMetByAnOutageSurviveACrashAndTheNextStartAppendsThem() throws Exception {
        Path outbox = dir.resolve("outbox").resolve("audit-outbox.jsonl");
        AuditTrail beforeTheCrash = withOutbox(outbox);
        long cursor = store.events().headCursor();
        events.set(Events.DOWN);
        AuditEvent first = beforeTheCrash.record("admin", Action.created, ObjectType.token, "t-1", "one");
        AuditEvent second = beforeTheCrash.record("admin", Action.deleted, ObjectType.token, "t-1", "one");
        assertEquals(2, Files.readAllLines(outbox).size(), "on disk before the writes were answered");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(outbox)));
        Files.writeString(outbox, "{\"id\":\"torn", java.nio.file.StandardOpenOption.APPEND); // the crash tears a line

        events.set(Events.WORK);
        AuditTrail afterTheCrash = withOutbox(outbox); // beforeTheCrash is gone, and its memory with it
        assertEquals(2, afterTheCrash.unappended(), "the torn line is skipped");
        afterTheCrash.appendUnappended();

        assertEquals(List.of(first, second), store.events().changesAfter(cursor, 100).events());
        assertEquals(0, afterTheCrash.unappended());
        assertFalse(Files.exists(outbox), "nothing left to keep");
    }

    @Test
    void eventsTakenByTheStoreLeaveTheOutboxAndTheOthersStay() throws Exception {
        Path outbox = dir.resolve("audit-outbox.jsonl");
        AuditTrail trail = withOutbox(outbox);
        events.set(Events.DOWN);
        AuditEvent kept = trail.record("admin", Action.created, ObjectType.token, "t-2", "two");
        events.set(Events.REFUSE);
        trail.appendUnappended(); // refused as data: logged and dropped, the outbox follows

        assertEquals(0, trail.unappended());
        assertFalse(Files.exists(outbox));
        assertTrue(store.events().find(new EventQuery(null, null, null, 10)).stream().noneMatch(kept::equals));
    }

    @Test
    void anOutboxThatCannotBeWrittenKeepsTheEventsInMemory() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        AuditTrail trail = withOutbox(notADirectory.resolve("audit-outbox.jsonl"));
        long cursor = store.events().headCursor();
        events.set(Events.DOWN);
        AuditEvent event = trail.record("admin", Action.created, ObjectType.token, "t-3", "three");
        assertEquals(1, trail.unappended());

        events.set(Events.WORK);
        trail.appendUnappended();

        assertEquals(List.of(event), store.events().changesAfter(cursor, 100).events());
    }

    private AuditTrail withOutbox(Path file) {
        return new AuditTrail(store, Clock.systemUTC(), StoreJson.mapper(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                new AuditOutbox(java.util.Optional.of(file), StoreJson.mapper()));
    }

    /** The file store, whose event appends fail as {@link #events} says; everything else is the real store. */
    private Store withFailingAppends(Store delegate) {
        EventLog log = StoreParts.proxy(EventLog.class, (proxy, method, args) -> {
            if (method.getName().equals("append")) {
                switch (events.get()) {
                    case DOWN -> throw new StoreUnavailableException("the test store is down");
                    case REFUSE -> throw new StoreDataException(StoreDataException.Kind.refused, 400,
                            "the test store refuses this event");
                    default -> { }
                }
            }
            return StoreParts.invoke(method, delegate.events(), args);
        });
        return StoreParts.replacing(delegate, "events", log);
    }
}
