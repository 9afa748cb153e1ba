package io.udapi.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.audit.Stamp;
import io.udapi.user.AdminUser;
import io.udapi.user.Permission;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A user deleted on one instance and created again under the same name on another whose clock is behind: the new
 * incarnation has an earlier creation time and a lower version than the copy other instances hold, and still
 * replaces it, by a read after the change or at the next full reload; within one incarnation a late, older revision
 * never rolls the cache back (docs/security.md, "Logins cannot outlive their user").
 */
class RecreatedUserTest {

    private static final Instant T1 = Instant.parse("2026-12-07T10:00:00Z");
    /** The re-creating instance's clock is 5 s behind the one that created the first incarnation. */
    private static final Instant T1_ON_A_SLOW_CLOCK = T1.minusSeconds(5);

    private static AdminUser user(String hash, Set<Permission> permissions, String createdBy, Instant createdAt,
                                  long version) {
        return new AdminUser("ops", hash, permissions, Stamp.created(createdBy, createdAt), version);
    }

    @Test
    void recreatedOnAnInstanceWithASlowerClockThenTheNewIncarnationReplacesTheCachedOne() {
        Registry registry = TestRegistries.empty();
        AdminUser first = user("hash-of-the-old-password", EnumSet.allOf(Permission.class), "admin", T1, 3);
        registry.putUser(first);
        AdminUser recreated = user("hash-of-the-new-password", Set.of(Permission.EVENTS_READ), "admin",
                T1_ON_A_SLOW_CLOCK, 1);

        assertTrue(recreated.supersedes(first), "what the full reload asks of the stored copy");
        registry.putUser(recreated);

        assertEquals(recreated, registry.user("ops").orElseThrow(), "the old password and permissions are gone");
    }

    @Test
    void lateOlderRevisionOfTheSameIncarnationThenTheCacheKeepsTheNewerOne() {
        Registry registry = TestRegistries.empty();
        AdminUser v2 = user("hash-2", Set.of(), "admin", T1, 2);
        AdminUser v1 = user("hash-1", Set.of(Permission.USERS_MANAGE), "admin", T1, 1);
        registry.putUser(v2);

        registry.putUser(v1);

        assertEquals(v2, registry.user("ops").orElseThrow());
        assertFalse(v1.supersedes(v2));
        assertTrue(v2.supersedes(v1));
        assertTrue(v1.isOlderRevisionOf(v2));
    }

    @Test
    void sameCreationTimeByAnotherCreatorThenAnotherIncarnation() {
        AdminUser mine = user("hash-a", Set.of(), "alice", T1, 4);
        AdminUser theirs = user("hash-b", Set.of(), "bob", T1, 1);

        assertTrue(theirs.supersedes(mine));
        assertFalse(theirs.isOlderRevisionOf(mine));
    }
}
