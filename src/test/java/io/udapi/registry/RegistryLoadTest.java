package io.udapi.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.audit.Stamp;
import io.udapi.store.StoreJson;
import io.udapi.store.file.FileStore;
import io.udapi.token.ApiToken;
import io.udapi.token.PreviousSecret;
import io.udapi.user.AdminUser;
import io.udapi.user.Permission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Registry#loadFrom}: the token indexes and the users after a full load from a real (file) store. */
class RegistryLoadTest {

    private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

    @TempDir
    Path dir;

    private static ApiToken token(String id, int tag) {
        return new ApiToken(id, "tok-" + id, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", tag, "abcd", false, null,
                null, Stamp.created("admin", T0), 1);
    }

    @Test
    void afterALoadEveryTokenIsFoundByIdAndByEachOfItsTagsAndTokensSharingATagAreAllCandidates() throws Exception {
        FileStore store = new FileStore(Files.createDirectories(dir.resolve("store")), StoreJson.mapper());
        for (int i = 0; i < 1_000; i++) {
            store.tokens().create(token("t" + i, i % 300));     // up to 4 tokens per tag
        }
        ApiToken rotating = token("rotating", 5_000).rotatedTo("$argon2id$v=19$m=19456,t=2,p=1$c2FsdDI$aGFzaDI", 5_001,
                "wxyz", T0, T0.plusSeconds(3600));
        store.tokens().create(rotating);
        Registry registry = TestRegistries.empty();

        registry.loadFrom(store);

        assertTrue(registry.isLoaded());
        assertEquals(1_001, registry.tokenCount());
        for (int i = 0; i < 1_000; i++) {
            assertEquals("t" + i, registry.token("t" + i).orElseThrow().id());
        }
        for (int tag = 0; tag < 300; tag++) {
            Set<String> expected = new HashSet<>();
            for (int i = tag; i < 1_000; i += 300) {
                expected.add("t" + i);
            }
            Set<String> found = new HashSet<>();
            registry.tokensWithTag(tag).forEach(t -> found.add(t.id()));
            assertEquals(expected, found, "tag " + tag);
        }
        assertEquals(List.of(rotating), registry.tokensWithTag(5_001), "the current secret's tag");
        assertEquals(List.of(rotating), registry.tokensWithTag(5_000), "the previous secret's tag, in its overlap");
        assertEquals(new PreviousSecret(rotating.previousSecret().secretHash(), 5_000, "abcd", T0.plusSeconds(3600), T0),
                registry.tokensWithTag(5_000).get(0).previousSecret());
    }

    @Test
    void aSecondLoadReplacesTheIndexesSoADeletedTokenIsFoundNeitherByIdNorByTag() throws Exception {
        FileStore store = new FileStore(Files.createDirectories(dir.resolve("store")), StoreJson.mapper());
        ApiToken kept = token("kept", 7);
        ApiToken deleted = token("deleted", 7);
        store.tokens().create(kept);
        store.tokens().create(deleted);
        Registry registry = TestRegistries.empty();
        registry.loadFrom(store);
        assertEquals(2, registry.tokensWithTag(7).size());

        store.tokens().delete(deleted.id(), deleted.version());
        registry.loadFrom(store);

        assertEquals(List.of(kept), registry.tokensWithTag(7));
        assertTrue(registry.token("deleted").isEmpty());
        assertEquals(1, registry.tokenCount());
    }

    @Test
    void aTokenPutAfterALoadJoinsTheTagListTheLoadBuilt() throws Exception {
        FileStore store = new FileStore(Files.createDirectories(dir.resolve("store")), StoreJson.mapper());
        ApiToken loaded = token("loaded", 9);
        store.tokens().create(loaded);
        Registry registry = TestRegistries.empty();
        registry.loadFrom(store);

        ApiToken added = token("added", 9);
        registry.putToken(added);
        registry.removeToken(loaded.id());

        assertEquals(List.of(added), registry.tokensWithTag(9));
    }

    @Test
    void aSecondLoadReplacesTheUsersSoADeletedUserIsGoneAndAKeptOneStaysTheSameObjectReadAgain() throws Exception {
        FileStore store = new FileStore(Files.createDirectories(dir.resolve("store")), StoreJson.mapper());
        AdminUser kept = new AdminUser("kept_admin", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$cHc",
                EnumSet.allOf(Permission.class), Stamp.created("admin", T0), 1);
        AdminUser deleted = new AdminUser("deleted_admin", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$cHc",
                EnumSet.allOf(Permission.class), Stamp.created("admin", T0), 1);
        store.users().create(kept);
        store.users().create(deleted);
        Registry registry = TestRegistries.empty();
        registry.loadFrom(store);
        assertEquals(2, registry.users().size());
        Map<String, AdminUser> before = new HashMap<>();
        registry.users().forEach(u -> before.put(u.id(), u));

        store.users().delete(deleted.id(), deleted.version());
        registry.loadFrom(store);

        assertEquals(List.of(before.get(kept.id())), List.copyOf(registry.users()));
        assertTrue(registry.user(deleted.id()).isEmpty());
        assertEquals(kept.name(), registry.user(kept.id()).orElseThrow().name());
    }
}
