package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.NODE_ID;
import static io.udapi.trigger.TriggerTestSupport.admin;
import static io.udapi.trigger.TriggerTestSupport.assertError;
import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.udapi.manage.TestClock;
import io.udapi.trigger.TriggerTestSupport.Token;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /admin/v1/stats} over HTTP (docs/api.md, "Trigger statistics"): real triggers, counted per definition
 * and per token in the minute of the shared fake clock. Each test first moves the clock to the middle of a minute,
 * so its triggers, made within seconds, all fall into the minute it expects. The permission checks (403 without
 * events.read, 401 without credentials) are in AccessControlTest with every other endpoint.
 */
@QuarkusTest
@TestProfile(TriggerTestSupport.ScriptsProfile.class)
class StatsApiTest {

    private static final String STATS = "/admin/v1/stats";

    @Inject
    TestClock clock;

    /** A bucket's counts, compared as values; the latencies are checked apart (they are real time). */
    record Counts(Instant at, int admitted, int rateLimited, int rejected, int errors) {
    }

    private Instant minute;

    @BeforeEach
    void toTheMiddleOfAMinute() {
        long intoMinute = clock.millis() % 60_000;
        clock.advance(Duration.ofMillis(Math.floorMod(30_000 - intoMinute, 60_000)));
        minute = Instant.ofEpochMilli(clock.millis() / 60_000 * 60_000);
    }

    private static JsonPath stats() {
        return admin().get(STATS).then().statusCode(200).contentType("application/json").extract().jsonPath();
    }

    /** The entry of {@code id} in {@code definitions} or {@code tokens}; null when absent. */
    private static Map<String, Object> entry(JsonPath stats, String kind, String id) {
        List<Map<String, Object>> entries = stats.getList(kind);
        return entries.stream().filter(e -> id.equals(e.get("id"))).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> buckets(JsonPath stats, String kind, String id) {
        Map<String, Object> entry = entry(stats, kind, id);
        assertNotNull(entry, kind + " has no entry " + id);
        return (List<Map<String, Object>>) entry.get("buckets");
    }

    private static List<Counts> counts(JsonPath stats, String kind, String id) {
        return buckets(stats, kind, id).stream().map(b -> new Counts(Instant.parse((String) b.get("at")),
                (Integer) b.get("admitted"), (Integer) b.get("rateLimited"), (Integer) b.get("rejected"),
                (Integer) b.get("errors"))).toList();
    }

    @Test
    void statsAfterOneAdmittedTriggerThenTheFieldsOfTheSpecAndNoOthers() {
        Token token = createToken();
        String route = unique("stats-shape");
        String definition = createDefinition(route, "ok", token);
        trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200);

        JsonPath stats = stats();
        Map<String, Object> top = stats.getMap("");
        assertEquals(Set.of("nodeId", "from", "bucket", "definitions", "tokens"), top.keySet());
        assertEquals(NODE_ID, top.get("nodeId"));
        assertEquals("PT1M", top.get("bucket"));
        assertEquals(minute.minus(Duration.ofMinutes(59)).toString(), top.get("from"));

        Map<String, Object> def = entry(stats, "definitions", definition);
        assertEquals(Set.of("id", "route", "buckets"), def.keySet());
        assertEquals(route, def.get("route"));
        Map<String, Object> tok = entry(stats, "tokens", token.id());
        assertEquals(Set.of("id", "name", "buckets"), tok.keySet());
        assertEquals(token.name(), tok.get("name"));

        Map<String, Object> bucket = buckets(stats, "tokens", token.id()).get(0);
        assertEquals(Set.of("at", "admitted", "rateLimited", "rejected", "errors", "p50Ms", "p99Ms"), bucket.keySet());
        assertEquals(List.of(new Counts(minute, 1, 0, 0, 0)), counts(stats, "tokens", token.id()));
        assertEquals(List.of(new Counts(minute, 1, 0, 0, 0)), counts(stats, "definitions", definition));
        float p50 = ((Number) bucket.get("p50Ms")).floatValue();
        float p99 = ((Number) bucket.get("p99Ms")).floatValue();
        assertTrue(p50 > 0 && p99 >= p50, "p50Ms " + p50 + ", p99Ms " + p99);
    }

    @Test
    void admittedAndRateLimitedTriggersThenCountedApartAndLatencyOnlyOfTheAdmitted() {
        Token token = createToken(Map.of("rateLimit", Map.of("limit", 2, "window", "PT1H")));
        String route = unique("stats-429");
        String definition = createDefinition(route, "ok", token);
        trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200);
        trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200);
        assertError(trigger(token.secret()).get("/api/custom/" + route), 429, 1014);

        JsonPath stats = stats();
        assertEquals(List.of(new Counts(minute, 2, 1, 0, 0)), counts(stats, "tokens", token.id()));
        assertEquals(List.of(new Counts(minute, 2, 1, 0, 0)), counts(stats, "definitions", definition));
    }

    @Test
    void knownTokenNotAllowedOnTheRouteThen401CountedAsRejectedForTheTokenAndTheDefinition() {
        Token token = createToken();
        Token allowed = createToken();
        String route = unique("stats-401");
        String definition = createDefinition(route, "ok", allowed);
        assertError(trigger(token.secret()).get("/api/custom/" + route), 401, 1010);

        JsonPath stats = stats();
        assertEquals(List.of(new Counts(minute, 0, 0, 1, 0)), counts(stats, "tokens", token.id()));
        assertEquals(List.of(new Counts(minute, 0, 0, 1, 0)), counts(stats, "definitions", definition));
        Map<String, Object> bucket = buckets(stats, "tokens", token.id()).get(0);
        assertNull(bucket.get("p50Ms")); // nothing admitted: no latency
        assertNull(bucket.get("p99Ms"));
        assertNull(entry(stats, "tokens", allowed.id())); // named by no answer
    }

    @Test
    void answers404And405And415ThenRejectedForWhatTheyNameAndA405BeforeAuthenticationNamesNothing() {
        Token token = createToken();
        String route = unique("stats-415");
        String scriptRoute = unique("stats-405");
        String definition = createDefinition(route, "ok", token);
        String scripted = createDefinition(scriptRoute, "code405", token);

        assertError(trigger(token.secret()).get("/api/custom/" + unique("stats-none")), 404, 5); // the token only
        trigger(token.secret()).head("/api/custom/" + route).then().statusCode(405); // the method stage: before the token is known
        assertError(trigger(token.secret()).contentType("application/pdf").body("x".getBytes(StandardCharsets.UTF_8))
                .post("/api/custom/" + route), 415, 1003); // after admission (the media stage): admitted and rejected
        trigger(token.secret()).get("/api/custom/" + scriptRoute).then().statusCode(405); // the script's own 405

        JsonPath stats = stats();
        assertEquals(List.of(new Counts(minute, 2, 0, 3, 0)), counts(stats, "tokens", token.id()));
        assertEquals(List.of(new Counts(minute, 1, 0, 1, 0)), counts(stats, "definitions", definition));
        assertEquals(List.of(new Counts(minute, 1, 0, 1, 0)), counts(stats, "definitions", scripted));
    }

    @Test
    void failingScriptThen500CountedAsAnErrorOfAnAdmittedTrigger() {
        Token token = createToken();
        String route = unique("stats-500");
        String definition = createDefinition(route, "notjson", token);
        assertError(trigger(token.secret()).get("/api/custom/" + route), 500, 13);

        JsonPath stats = stats();
        assertEquals(List.of(new Counts(minute, 1, 0, 0, 1)), counts(stats, "definitions", definition));
        assertEquals(List.of(new Counts(minute, 1, 0, 0, 1)), counts(stats, "tokens", token.id()));
        assertNotNull(buckets(stats, "definitions", definition).get(0).get("p50Ms"));
    }

    @Test
    void triggersInMinutes0And1And3ThenThreeBucketsOldestFirst() {
        Token token = createToken();
        String route = unique("stats-minutes");
        String definition = createDefinition(route, "ok", token);
        trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200);
        clock.advance(Duration.ofMinutes(1));
        trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200);
        trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200);
        clock.advance(Duration.ofMinutes(2)); // minute 2 has no trigger: no bucket
        for (int i = 0; i < 3; i++) {
            trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200);
        }

        JsonPath stats = stats();
        List<Counts> expected = List.of(new Counts(minute, 1, 0, 0, 0),
                new Counts(minute.plus(Duration.ofMinutes(1)), 2, 0, 0, 0),
                new Counts(minute.plus(Duration.ofMinutes(3)), 3, 0, 0, 0));
        assertEquals(expected, counts(stats, "definitions", definition));
        assertEquals(expected, counts(stats, "tokens", token.id()));
        assertEquals(minute.plus(Duration.ofMinutes(3)).minus(Duration.ofMinutes(59)).toString(), stats.getString("from"));
    }

    @Test
    void definitionAndTokenIdleForMoreThanAnHourThenNoLongerListed() {
        Token token = createToken();
        String route = unique("stats-idle");
        String definition = createDefinition(route, "ok", token);
        trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200);
        clock.advance(Duration.ofMinutes(59));
        assertEquals(List.of(new Counts(minute, 1, 0, 0, 0)), counts(stats(), "tokens", token.id())); // the oldest bucket

        clock.advance(Duration.ofMinutes(1));
        JsonPath stats = stats();
        assertNull(entry(stats, "definitions", definition));
        assertNull(entry(stats, "tokens", token.id()));
    }
}
