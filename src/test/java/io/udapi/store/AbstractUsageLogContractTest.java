package io.udapi.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.udapi.token.TokenUsage;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link UsageLog} (docs/tokens.md, "Usage"), for each store. Token ids are random per
 * test, so a store shared by the tests of a class needs no clean-up; assertions look at those ids only.
 */
public abstract class AbstractUsageLogContractTest {

    protected static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123Z");

    /** The usage log of a store; may be shared by the tests of a class. */
    protected abstract UsageLog usageLog() throws Exception;


    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void tokenNeverWrittenThenAbsent() throws Exception {
        assertFalse(usageLog().readAll().containsKey(id()));
    }

    @Test
    void writeThenReadAllAnswersBothFieldsOfEveryToken() throws Exception {
        String a = id();
        String b = id();
        usageLog().write("node-a", Map.of(a, new TokenUsage(T0, null), b, new TokenUsage(T0.plusSeconds(1), T0)));
        Map<String, TokenUsage> all = usageLog().readAll();
        assertEquals(new TokenUsage(T0, null), all.get(a));
        assertEquals(new TokenUsage(T0.plusSeconds(1), T0), all.get(b));
    }

    @Test
    void laterWriteOfTheSameInstanceThenLaterTimeIsRead() throws Exception {
        String a = id();
        usageLog().write("node-a", Map.of(a, new TokenUsage(T0, T0)));
        usageLog().write("node-a", Map.of(a, new TokenUsage(T0.plusSeconds(30), T0)));
        assertEquals(new TokenUsage(T0.plusSeconds(30), T0), usageLog().readAll().get(a));
    }

    @Test
    void twoInstancesThenReadMergesTheLaterOfEachField() throws Exception {
        String a = id();
        usageLog().write("node-a", Map.of(a, new TokenUsage(T0.plusSeconds(10), T0)));
        usageLog().write("node-b", Map.of(a, new TokenUsage(T0.plusSeconds(5), T0.plusSeconds(3))));
        assertEquals(new TokenUsage(T0.plusSeconds(10), T0.plusSeconds(3)), usageLog().readAll().get(a));
    }

    @Test
    void deleteThenEveryInstancesUsageOfThatTokenIsGoneAndOthersStay() throws Exception {
        String a = id();
        String b = id();
        usageLog().write("node-a", Map.of(a, new TokenUsage(T0, null), b, new TokenUsage(T0, null)));
        usageLog().write("node-b", Map.of(a, new TokenUsage(T0, null)));
        usageLog().delete(a);
        Map<String, TokenUsage> all = usageLog().readAll();
        assertFalse(all.containsKey(a));
        assertEquals(new TokenUsage(T0, null), all.get(b));
    }

    @Test
    void moreRowsThanOneSearchPageThenReadAllAnswersEveryToken() throws Exception {
        // 12,000 rows: more than Elasticsearch hands out in one search (10,000)
        Map<String, TokenUsage> many = new java.util.HashMap<>();
        for (int i = 0; i < 12_000; i++) {
            many.put(id(), new TokenUsage(T0.plusSeconds(i), null));
        }
        usageLog().write("node-many", many);
        Map<String, TokenUsage> all = usageLog().readAll();
        many.forEach((tokenId, u) -> assertEquals(u, all.get(tokenId), tokenId));
    }

    @Test
    void writeOfNothingThenNothingChanges() throws Exception {
        usageLog().write("node-a", Map.of());
        assertFalse(usageLog().readAll().containsKey(id()));
    }
}
