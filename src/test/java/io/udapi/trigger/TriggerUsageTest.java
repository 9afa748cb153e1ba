package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.admin;
import static io.udapi.trigger.TriggerTestSupport.assertError;
import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.udapi.manage.TestClock;
import io.udapi.trigger.TriggerTestSupport.Token;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code lastUsedAt} of tokens over HTTP (docs/tokens.md, "Usage"): set by an admitted trigger to the time
 * of this instance's clock (the shared fake clock, moved forward between triggers so each time is
 * distinct), left alone by refused ones, including a 429.
 */
@QuarkusTest
@TestProfile(TriggerTestSupport.ScriptsProfile.class)
class TriggerUsageTest {

    @Inject
    TestClock clock;

    @Inject
    io.udapi.usage.UsageFlusher flusher;

    @Inject
    io.udapi.store.Store store;

    @Test
    void tokenWhenNeverTriggeredThenLastUsedAtAndPreviousSecretLastUsedAtNull() {
        Token token = createToken();
        admin().get("/admin/v1/tokens/" + token.id()).then().statusCode(200)
                .body("lastUsedAt", nullValue()).body("previousSecretLastUsedAt", nullValue());
    }

    @Test
    void admittedTriggerThenLastUsedAtIsItsTimeInGetAndList() {
        Token token = createToken();
        String route = unique("usage-ok");
        createDefinition(route, "ok", token);
        clock.advance(Duration.ofSeconds(1));
        Instant before = clock.instant();
        trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200);
        Instant after = clock.instant();

        Instant used = lastUsedAt(token);
        assertNotNull(used);
        assertEquals(true, !used.isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                && !used.isAfter(after), used + " lies within [" + before + ", " + after + "]");
        admin().queryParam("name", token.name()).get("/admin/v1/tokens").then().statusCode(200)
                .body("items[0].lastUsedAt", equalTo(used.toString()))
                .body("items[0].previousSecretLastUsedAt", nullValue());
    }

    @Test
    void admittedTriggerThenAfterOneFlushTheStoreHoldsItsTimeAndTheViewStillShowsIt() {
        Token token = createToken();
        String route = unique("usage-flush");
        createDefinition(route, "ok", token);
        trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200);
        Instant used = lastUsedAt(token);

        flusher.flushOnce(); // what the scheduler does once per udapi.usage.flush-interval
        assertEquals(used, store.usage().readAll().get(token.id()).lastUsedAt());
        assertEquals(used, lastUsedAt(token));
        admin().get("/admin/v1/tokens/" + token.id()).then().statusCode(200).body("version", equalTo(1));
    }

    @Test
    void rateLimitedTriggerThen429AndLastUsedAtStaysAtTheLastAdmission() {
        Token token = createToken(Map.of("rateLimit", Map.of("limit", 1, "window", "PT1H")));
        String route = unique("usage-429");
        createDefinition(route, "ok", token);
        trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200);
        Instant admitted = lastUsedAt(token);

        clock.advance(Duration.ofSeconds(5));
        assertError(trigger(token.secret()).get("/api/custom/" + route), 429, 1014);
        assertEquals(admitted, lastUsedAt(token));
    }

    @Test
    void refusedTriggersThen404And401AndLastUsedAtStaysNull() {
        Token token = createToken();
        Token other = createToken();
        String route = unique("usage-refused");
        createDefinition(route, "ok", other);
        assertError(trigger(token.secret()).get("/api/custom/" + unique("usage-none")), 404, 5);
        assertError(trigger(token.secret()).get("/api/custom/" + route), 401, 1010); // not in allowedTokens
        admin().get("/admin/v1/tokens/" + token.id()).then().statusCode(200).body("lastUsedAt", nullValue());
    }

    @Test
    void admittedTriggerAnsweredWithUnsupportedMediaTypeThenStillSetsLastUsedAt() {
        // admission is the limit stage: a 415 (the media stage) comes after it, like the rate limit counts it (docs/tokens.md)
        Token token = createToken();
        String route = unique("usage-415");
        createDefinition(route, "ok", token);
        assertError(trigger(token.secret()).contentType("application/pdf").body("x".getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/custom/" + route),
                415, 1003);
        assertNotNull(lastUsedAt(token));
    }

    private static Instant lastUsedAt(Token token) {
        String value = admin().get("/admin/v1/tokens/" + token.id()).then().statusCode(200).extract().path("lastUsedAt");
        return value == null ? null : Instant.parse(value);
    }
}
