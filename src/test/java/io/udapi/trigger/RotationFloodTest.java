package io.udapi.trigger;

import static io.udapi.trigger.TriggerTestSupport.admin;
import static io.udapi.trigger.TriggerTestSupport.createDefinition;
import static io.udapi.trigger.TriggerTestSupport.createToken;
import static io.udapi.trigger.TriggerTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.udapi.auth.AuthResult;
import io.udapi.auth.InlineAuth;
import io.udapi.auth.AuthResult.SecretSlot;
import io.udapi.auth.TokenAuthenticator;
import io.udapi.manage.TestClock;
import io.udapi.secret.SecretDigest;
import io.udapi.secret.SecretGenerator;
import io.udapi.trigger.TriggerTestSupport.Token;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A flood of trigger authentications mixing previous secrets (during a rotation overlap), current secrets and
 * {@code udapi_} strings with wrong checksums: the Argon2 counter ({@code udapi.secret.verifications}) grows by
 * exactly one run per real secret, the first time it is presented, and by nothing else (docs/tokens.md). One
 * million authentications in-process against {@link TokenAuthenticator} (the trigger handler's two calls,
 * {@code tryWithoutArgon2} then {@code verify}), and a smaller run through real HTTP measured on
 * {@code /q/metrics}.
 */
@QuarkusTest
@TestProfile(TriggerTestSupport.ScriptsProfile.class)
class RotationFloodTest {

    private static final Logger LOG = Logger.getLogger(RotationFloodTest.class);
    private static final int TOKENS = 10;
    private static final int BAD_STRINGS = 10_000;

    @Inject
    TokenAuthenticator auth;

    @Inject
    MeterRegistry meters;

    @Inject
    TestClock clock;

    @TestHTTPResource("/")
    URL base;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    /** The secrets of a flood: both secrets of each token, rotated with an overlap, and bad-checksum strings. */
    private record Secrets(List<Token> tokens, List<String> previous, List<String> current, List<String> bad) {
        static Secrets rotatedWithOverlap(String validFor) {
            List<Token> tokens = new ArrayList<>();
            List<String> previous = new ArrayList<>();
            List<String> current = new ArrayList<>();
            for (int i = 0; i < TOKENS; i++) {
                Token token = createToken();
                tokens.add(token);
                previous.add(token.secret());
                current.add(admin().body(Map.of("previousSecretValidFor", validFor))
                        .post("/admin/v1/tokens/" + token.id() + "/rotate").then().statusCode(200)
                        .extract().path("secret"));
            }
            SecretGenerator generator = new SecretGenerator();
            List<String> bad = new ArrayList<>(BAD_STRINGS);
            while (bad.size() < BAD_STRINGS) {
                String real = generator.generate();
                String wrong = real.substring(0, 43) + (real.charAt(43) == 'Z' ? 'Y' : 'Z');
                if (SecretGenerator.form(wrong) == SecretGenerator.Form.BAD_CHECKSUM) {
                    bad.add(wrong);
                }
            }
            return new Secrets(tokens, previous, current, bad);
        }
    }

    @Test
    void millionAuthenticationsOfPreviousCurrentAndBadChecksumSecretsThenOneArgon2RunPerRealSecret() {
        Secrets s = Secrets.rotatedWithOverlap("PT1H");
        double before = argon2Runs();
        int n = 1_000_000;
        int[] outcomes = new int[3];
        long t0 = System.nanoTime();

        for (int i = 0; i < n; i++) {
            int kind = i % 3;
            int token = (i / 3) % TOKENS;
            String secret = switch (kind) {
                case 0 -> s.previous().get(token);
                case 1 -> s.current().get(token);
                default -> s.bad().get((i / 3) % BAD_STRINGS);
            };
            AuthResult result = authenticate(secret);
            if (kind == 2) {
                assertEquals(AuthResult.INVALID, result);
            } else {
                AuthResult.Authenticated ok = (AuthResult.Authenticated) result;
                assertEquals(s.tokens().get(token).id(), ok.token().id());
                assertEquals(kind == 0 ? SecretSlot.PREVIOUS : SecretSlot.CURRENT, ok.slot());
            }
            outcomes[kind]++;
        }

        long ms = (System.nanoTime() - t0) / 1_000_000;
        double runs = argon2Runs() - before;
        LOG.infof("flood: %d authentications (%d previous, %d current, %d bad checksum) in %d ms; Argon2 runs: %.0f",
                n, outcomes[0], outcomes[1], outcomes[2], ms, runs);
        assertEquals(2 * TOKENS, runs, "one Argon2 run per real secret, none for repeats or bad checksums");

        // past the overlap's end the previous secrets are refused, still without Argon2: their proofs no longer
        // hold, and the tag index offers no live secret to try
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        double afterEnd = argon2Runs();
        for (int i = 0; i < 100_000; i++) {
            assertEquals(AuthResult.INVALID, authenticate(s.previous().get(i % TOKENS)));
        }
        assertEquals(afterEnd, argon2Runs(), "no Argon2 for previous secrets after the overlap");
        assertTrue(authenticate(s.current().get(0)) instanceof AuthResult.Authenticated);
    }

    @Test
    void twentyThousandHttpTriggersOfPreviousCurrentAndBadChecksumSecretsThenOneArgon2RunPerRealSecret()
            throws Exception {
        Secrets s = Secrets.rotatedWithOverlap("PT1H");
        // a route the tokens are allowed on but which runs nothing costly: a proved secret on an unknown route
        // answers 404/5 (after authentication), a refused one 401/1010; so the status tells them apart
        String route = unique("flood");
        createDefinition(route, "ok", s.tokens().toArray(Token[]::new));
        String missing = base.toString() + "api/custom/" + route + "-none";
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        double before = metric("udapi_secret_verifications_total");
        // the first verification of each real secret, one at a time: concurrent first presentations of one
        // uncached secret would each pay Argon2 (there is no single-flight), which is not what is measured here
        for (List<String> secrets : List.of(s.previous(), s.current())) {
            for (String secret : secrets) {
                assertEquals(404, client.send(HttpRequest.newBuilder(URI.create(missing))
                        .header("Authorization", "Bearer " + secret).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());
            }
        }
        assertEquals(2 * TOKENS, metric("udapi_secret_verifications_total") - before, "one run per real secret");
        before = metric("udapi_secret_verifications_total");
        int n = 20_000;
        int threads = 4;
        AtomicIntegerArray wrong = new AtomicIntegerArray(3);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                done.add(pool.submit(() -> {
                    for (int i = offset; i < n; i += threads) {
                        int kind = i % 3;
                        int token = (i / 3) % TOKENS;
                        String secret = switch (kind) {
                            case 0 -> s.previous().get(token);
                            case 1 -> s.current().get(token);
                            default -> s.bad().get((i / 3) % BAD_STRINGS);
                        };
                        HttpRequest request = HttpRequest.newBuilder(URI.create(missing))
                                .header("Authorization", "Bearer " + secret).GET().build();
                        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status != (kind == 2 ? 401 : 404)) {
                            wrong.incrementAndGet(kind);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        double runs = metric("udapi_secret_verifications_total") - before;
        LOG.infof("HTTP flood: %d triggers on 4 connections in %d ms; Argon2 runs on /q/metrics beyond the first of each secret: %.0f", n, ms, runs);

        assertEquals("[0, 0, 0]", wrong.toString(), "wrong answers for previous, current, bad-checksum secrets");
        assertEquals(0, runs, "no Argon2 run beyond the first verification of each real secret");
    }

    /** What the trigger handler does: the answer without Argon2 if known, else the verification. */
    private AuthResult authenticate(String secret) {
        SecretDigest digest = auth.digest(secret);
        InlineAuth known = auth.tryWithoutArgon2(secret, digest);
        if (known instanceof AuthResult.Authenticated authenticated) {
            return authenticated;
        }
        return known instanceof InlineAuth.NeedsArgon2
                ? auth.verify(secret, digest).toCompletableFuture().join() : AuthResult.INVALID;
    }

    private double argon2Runs() {
        return meters.find("udapi.secret.verifications").counters().stream().mapToDouble(Counter::count).sum();
    }

    private double metric(String name) {
        return TriggerTestSupport.metric(metrics, name);
    }
}
