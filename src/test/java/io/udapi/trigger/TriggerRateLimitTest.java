package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.assertError;
import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.patchToken;
import static io.udapi.trigger.TriggerTestSupport.trigger;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.udapi.trigger.TriggerTestSupport.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The limit stage and docs/concepts.md, "Rate limits", over HTTP. Windows are an hour long, so nothing ages out during a test and
 * every count is exact; "a 429 does not count" is shown by raising the limit afterwards: the new headroom
 * is exactly the new limit minus the earlier admissions.
 */
@QuarkusTest
@TestProfile(TriggerTestSupport.ScriptsProfile.class)
class TriggerRateLimitTest {

    private static final Pattern RATE_LIMIT = Pattern.compile("\"default\";r=(\\d+);t=(\\d+)");

    @Test
    void limitWhenReachedThenExactlyNAdmittedThen429With1014RetryAfterAndHeaders() {
        Token token = createToken(Map.of("rateLimit", Map.of("limit", 3, "window", "PT1H")));
        String route = unique("rl-basic");
        createDefinition(route, "ok", token);
        String path = "/api/custom/" + route;

        for (int remaining = 2; remaining >= 0; remaining--) {
            Response r = trigger(token.secret()).get(path);
            r.then().statusCode(200).header("RateLimit-Policy", "\"default\";q=3;w=3600");
            assertRemaining(r, remaining);
        }
        for (int i = 0; i < 3; i++) {
            Response r = assertError(trigger(token.secret()).get(path), 429, 1014);
            long retryAfter = Long.parseLong(r.header("Retry-After"));
            assertTrue(retryAfter >= 3500 && retryAfter <= 3600, "Retry-After " + retryAfter);
            r.then().header("RateLimit-Policy", "\"default\";q=3;w=3600")
                    .header("RateLimit", "\"default\";r=0;t=" + retryAfter)
                    .body("errors[0].detail", org.hamcrest.Matchers.equalTo(
                            "At most 3 requests per 3600 s are allowed; retry in " + retryAfter + " s."));
        }
    }

    @Test
    void limitWhenTokenHasNoneThenNoRateLimitHeaders() {
        Token token = createToken();
        String route = unique("rl-none");
        createDefinition(route, "ok", token);
        for (int i = 0; i < 5; i++) {
            trigger(token.secret()).get("/api/custom/" + route).then().statusCode(200)
                    .header("RateLimit", nullValue()).header("RateLimit-Policy", nullValue());
        }
    }

    /** SPEC 2.2: the headers say what udapi counted; a script cannot add them, nor change them. */
    @Test
    void rateLimitHeadersAScriptSetsNeverReachTheClient() {
        Token unlimited = createToken();
        Token limited = createToken(Map.of("rateLimit", Map.of("limit", 3, "window", "PT1H")));
        String route = unique("rl-forged");
        createDefinition(route, "ratelimit-forger", unlimited, limited);
        String path = "/api/custom/" + route;

        trigger(unlimited.secret()).get(path).then().statusCode(200)
                .header("RateLimit", nullValue()).header("RateLimit-Policy", nullValue());
        Response r = trigger(limited.secret()).get(path);
        r.then().statusCode(200).header("RateLimit-Policy", "\"default\";q=3;w=3600");
        assertEquals(List.of("\"default\";q=3;w=3600"), r.headers().getValues("RateLimit-Policy"));
        assertEquals(1, r.headers().getValues("RateLimit").size(), "one RateLimit header, udapi's");
        assertRemaining(r, 2);
    }

    @Test
    void limitWhen429sWereAnsweredThenTheyDidNotCount() {
        Token token = createToken(Map.of("rateLimit", Map.of("limit", 2, "window", "PT1H")));
        String route = unique("rl-429");
        createDefinition(route, "ok", token);
        String path = "/api/custom/" + route;
        assertEquals(List.of(200, 200, 429, 429, 429, 429, 429), statuses(token, path, 7));

        // two admissions so far; had the five 429s counted, a limit of 4 would still refuse
        patchToken(token.id(), Map.of("rateLimit", Map.of("limit", 4, "window", "PT1H")));
        assertEquals(List.of(200, 200, 429), statuses(token, path, 3));
    }

    @Test
    void limitWhenAnAdmittedRequestFailsLaterThenItStillCounts() {
        Token token = createToken(Map.of("rateLimit", Map.of("limit", 3, "window", "PT1H")));
        String failing = unique("rl-fail");
        createDefinition(failing, "exit3", token);
        String path = "/api/custom/" + failing;

        // a script error, a refused media type and refused parameters: all admitted first (checks 9-11 and
        // the script run come after the limit stage), so all count, and all carry the rate-limit headers
        assertRemaining(assertError(trigger(token.secret()).get(path), 500, 12), 2);
        assertError(trigger(token.secret()).contentType("application/pdf").body(new byte[] {1}).post(path), 415, 1003)
                .then().header("RateLimit-Policy", "\"default\";q=3;w=3600");
        assertRemaining(assertError(trigger(token.secret()).get(path), 500, 12), 0);
        assertError(trigger(token.secret()).get(path), 429, 1014);
    }

    @Test
    void limitIsPerTokenAndDefinition() {
        Token limited = createToken(Map.of("rateLimit", Map.of("limit", 1, "window", "PT1H")));
        Token other = createToken(Map.of("rateLimit", Map.of("limit", 1, "window", "PT1H")));
        String first = unique("rl-first");
        String second = unique("rl-second");
        createDefinition(first, "ok", limited, other);
        createDefinition(second, "ok", limited);
        assertEquals(List.of(200, 429), statuses(limited, "/api/custom/" + first, 2));
        assertEquals(List.of(200, 429), statuses(limited, "/api/custom/" + second, 2));
        assertEquals(List.of(200, 429), statuses(other, "/api/custom/" + first, 2));
    }

    @Test
    void limitWhenRequestsAreConcurrentThenExactlyNAdmitted() throws Exception {
        int limit = 5;
        int requests = 24;
        Token token = createToken(Map.of("rateLimit", Map.of("limit", limit, "window", "PT1H")));
        String route = unique("rl-concurrent");
        createDefinition(route, "ok", token);
        trigger(token.secret()).get("/api/custom/" + unique("rl-warm")).then().statusCode(404); // caches the secret

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                calls.add(() -> trigger(token.secret()).get("/api/custom/" + route).statusCode());
            }
            int admitted = 0;
            int refused = 0;
            for (Future<Integer> f : pool.invokeAll(calls)) {
                int status = f.get();
                if (status == 200) {
                    admitted++;
                } else if (status == 429) {
                    refused++;
                }
            }
            assertEquals(limit, admitted);
            assertEquals(requests - limit, refused);
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code RateLimit: "default";r=<remaining>;t=<s>}, t within the hour window (it counts down). */
    private static void assertRemaining(Response r, int remaining) {
        Matcher m = RATE_LIMIT.matcher(String.valueOf(r.header("RateLimit")));
        assertTrue(m.matches(), r.header("RateLimit"));
        assertEquals(remaining, Integer.parseInt(m.group(1)));
        long t = Long.parseLong(m.group(2));
        assertTrue(t > 3500 && t <= 3600, "t=" + t);
    }

    private static List<Integer> statuses(Token token, String path, int n) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            statuses.add(trigger(token.secret()).get(path).statusCode());
        }
        return statuses;
    }
}
