package io.udapi.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.udapi.audit.AuditEvent;
import io.udapi.audit.AuditEvent.Action;
import io.udapi.audit.AuditEvent.ObjectType;
import io.udapi.definition.ApiDefinition;
import io.udapi.store.AbstractStoreContractTest;
import io.udapi.store.EventQuery;
import io.udapi.store.Store;
import io.udapi.store.StoreJson;
import io.udapi.token.ApiToken;
import io.udapi.user.AdminUser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the file store, plus what only a directory on disk can show: reopening it. */
class FileStoreContractTest extends AbstractStoreContractTest {

    @TempDir
    Path dir;

    @Override
    protected Store openStore() {
        return new FileStore(dir, StoreJson.mapper());
    }

    private Store reopen() {
        return new FileStore(dir, StoreJson.mapper());
    }

    @Test
    void reopeningTheDirectoryFindsEverything() {
        ApiToken token = token(UUID.randomUUID().toString());
        ApiToken updated = token.withName("renamed").next("editor", T0.plusSeconds(1));
        ApiDefinition definition = definition(UUID.randomUUID().toString());
        AdminUser user = user("reopen");
        ApiToken deleted = token(UUID.randomUUID().toString());
        AuditEvent event = new AuditEvent("0000000000001-abcdef-00000001", T0, "admin", Action.created,
                ObjectType.token, token.id(), "tok");
        store.tokens().create(token);
        store.tokens().update(updated);
        store.tokens().create(deleted);
        store.tokens().delete(deleted.id(), 1);
        store.definitions().create(definition);
        store.users().create(user);
        store.events().append(event);

        Store reopened = reopen();

        assertEquals(List.of(updated), reopened.tokens().list());
        assertEquals(List.of(definition), reopened.definitions().list());
        assertEquals(Optional.of(user), reopened.users().find(user.id()));
        assertEquals(List.of(event), reopened.events().find(new EventQuery(null, null, null, 10)));
    }

    @Test
    void reopeningIgnoresALeftoverTemporaryFile() throws Exception {
        ApiToken token = token(UUID.randomUUID().toString());
        store.tokens().create(token);
        // what a crash between write and rename leaves behind: never acknowledged, possibly torn
        Path leftover = dir.resolve("tokens").resolve(UUID.randomUUID() + ".json.tmp-" + UUID.randomUUID());
        Files.writeString(leftover, "{\"id\":\"half-writ", StandardCharsets.UTF_8);

        Store reopened = reopen();

        assertEquals(List.of(token), reopened.tokens().list());
        reopened.tokens().update(token.next("editor", T0.plusSeconds(1)));
        assertEquals(2, reopen().tokens().find(token.id()).orElseThrow().version());
        assertFalse(Files.exists(leftover), "the leftover is cleaned up");
    }

    @Test
    void reopeningSkipsATornLastEventLine() throws Exception {
        AuditEvent event = new AuditEvent("0000000000001-abcdef-00000001", T0, "admin", Action.created,
                ObjectType.user, "bob", "bob");
        store.events().append(event);
        Files.writeString(dir.resolve("events.jsonl"), "{\"id\":\"0000000000002-ab", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        assertEquals(List.of(event), reopen().events().find(new EventQuery(null, null, null, 10)));
    }

    /**
     * A torn last line, here cut inside a two-byte UTF-8 character (a route summary "café"), is cut off on
     * opening: the store opens, and the next event is a line of its own that the next opening reads.
     */
    @Test
    void reopeningCutsATornLastLineSoTheNextEventIsReadAfterTheNextReopening() throws Exception {
        AuditEvent first = new AuditEvent("0000000000001-abcdef-00000001", T0, "admin", Action.created,
                ObjectType.definition, "d-1", "caf\u00e9/orders");
        store.events().append(first);
        byte[] torn = "{\"id\":\"0000000000002-abcdef-00000002\",\"summary\":\"caf\u00e9".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("events.jsonl"), java.util.Arrays.copyOf(torn, torn.length - 1), StandardOpenOption.APPEND);

        Store reopened = reopen();
        AuditEvent next = new AuditEvent("0000000000003-abcdef-00000003", T0.plusSeconds(1), "admin", Action.deleted,
                ObjectType.definition, "d-1", "caf\u00e9/orders");
        reopened.events().append(next);

        assertEquals(List.of(next, first), reopen().events().find(new EventQuery(null, null, null, 10)));
    }

    /**
     * A second process on the same directory: a real process (python3, holding the POSIX record lock on
     * {@code .lock} as another udapi's JVM does) makes opening the store fail with a clear message; once that
     * process has exited, the store opens and works.
     */
    @Test
    void directoryHeldByAnotherProcessThenOpeningIsRefusedUntilItExits() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared-store"));
        Process other;
        try {
            other = new ProcessBuilder("python3", "-c", "import fcntl, sys\nf = open(sys.argv[1], 'w')\n"
                    + "fcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\nsys.stdin.read()\n",
                    shared.resolve(".lock").toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("this test needs python3 on the PATH (apt-get install python3): " + e, e);
        }
        try {
            java.io.BufferedReader said = new java.io.BufferedReader(
                    new java.io.InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", said.readLine(), "the other process holds the lock");

            IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> new FileStore(shared, StoreJson.mapper()));
            org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("in use by another process"),
                    refused.getMessage());
        } finally {
            other.getOutputStream().close();   // end of its stdin: it exits, and the kernel drops its lock
            org.junit.jupiter.api.Assertions.assertTrue(other.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
        }

        Store store = new FileStore(shared, StoreJson.mapper());
        ApiToken token = token(UUID.randomUUID().toString());
        store.tokens().create(token);
        assertEquals(Optional.of(token), new FileStore(shared, StoreJson.mapper()).tokens().find(token.id()),
                "opened again in the same process");
    }

    @Test
    void reopeningManyFilesReadsThemAllAndSkipsAnUnreadableOne() throws Exception {
        // a directory of many files (start-up reads them all), one of them unreadable
        List<ApiDefinition> definitions = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ApiDefinition definition = definition(UUID.randomUUID().toString());
            store.definitions().create(definition);
            definitions.add(definition);
        }
        Path broken = dir.resolve("definitions").resolve(UUID.randomUUID() + ".json");
        Files.writeString(broken, "{\"id\":", StandardCharsets.UTF_8);

        Store reopened = reopen();

        assertEquals(new java.util.HashSet<>(definitions), new java.util.HashSet<>(reopened.definitions().list()));
        assertEquals(300, reopened.definitions().list().size());
        for (ApiDefinition definition : definitions) {
            assertEquals(Optional.of(definition), reopened.definitions().find(definition.id()));
        }
    }

    // ---- permissions: the store is its user's alone (docs/security.md, "The file store on disk") ----

    @Test
    void everyDirectoryAndFileTheStoreCreatesIsItsUsersAlone() throws Exception {
        Path fresh = dir.resolve("fresh");
        Store created = new FileStore(fresh, StoreJson.mapper());
        ApiToken token = token(UUID.randomUUID().toString());
        created.tokens().create(token);
        created.definitions().create(definition(UUID.randomUUID().toString()));
        created.users().create(user("perm"));
        created.events().append(new AuditEvent("0000000000001-abcdef-00000001", T0, "admin", Action.created,
                ObjectType.token, token.id(), "tok"));

        for (Path d : List.of(fresh, fresh.resolve("tokens"), fresh.resolve("definitions"), fresh.resolve("users"))) {
            assertEquals("rwx------", mode(d), d.toString());
        }
        assertEquals("rw-------", mode(fresh.resolve("tokens").resolve(token.id() + ".json")));
        assertEquals("rw-------", mode(fresh.resolve("events.jsonl")));
    }

    @Test
    void directoriesAnOlderUdapiLeftOpenToOthersAreClosedWhenTheStoreOpens() throws Exception {
        Path old = dir.resolve("old");
        Files.createDirectories(old.resolve("tokens"));
        Files.setPosixFilePermissions(old, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(old.resolve("tokens"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxr-x"));

        new FileStore(old, StoreJson.mapper());

        assertEquals("rwx------", mode(old));
        assertEquals("rwx------", mode(old.resolve("tokens")));
    }

    @Test
    void aSecretIsCreatedOwnerOnlyAndNeverReplaced() throws Exception {
        Path file = dir.resolve("secrets").resolve("pepper");

        assertEquals(true, io.udapi.os.PrivateFiles.createOnce(file, "first".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(false, io.udapi.os.PrivateFiles.createOnce(file, "second".getBytes(StandardCharsets.US_ASCII)), "it exists");

        assertEquals("first", Files.readString(file));
        assertEquals("rw-------", mode(file));
        assertEquals("rwx------", mode(file.getParent()));
        try (var left = Files.list(file.getParent())) {
            assertEquals(List.of(file), left.toList(), "no temporary file left");
        }
    }

    private static String mode(Path path) throws java.io.IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
