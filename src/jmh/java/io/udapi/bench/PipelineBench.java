package io.udapi.bench;

import io.udapi.auth.AuthResult;
import io.udapi.auth.BenchAuthenticator;
import io.udapi.auth.InlineAuth;
import io.udapi.auth.TokenAuthenticator;
import io.udapi.definition.ApiDefinition;
import io.udapi.limit.Decision;
import io.udapi.limit.LimiterKey;
import io.udapi.limit.RateLimiterRegistry;
import io.udapi.registry.BenchRegistry;
import io.udapi.registry.Registry;
import io.udapi.route.RequestPath;
import io.udapi.route.RouteMatch;
import io.udapi.secret.LookupTagger;
import io.udapi.secret.SecretDigest;
import io.udapi.secret.SecretDigester;
import io.udapi.secret.VerifiedSecretCache;
import io.udapi.secret.VerifiedSecretCache.Verified;
import io.udapi.token.ApiToken;
import io.udapi.token.RateLimit;
import io.udapi.trigger.BenchTrigger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The in-memory part of one trigger, without HTTP, in the order of the trigger path's stages: parse the
 * {@code Authorization} value, split/decode the path, keyed digest + verified-secret cache hit, token from the
 * registry (version and enabled/expiry check), route match over 1,000 definitions, allowed-token check,
 * rate-limit decision (new {@link LimiterKey} + registry + ring), and the two rate-limit header values. The path
 * byte count and the policy header go through {@link BenchTrigger}, i.e. the stages' own code; the
 * {@code ...ViaStages} variants run the stages themselves.
 *
 * <ul>
 *   <li>{@code admitted}: the limiter runs on a synthetic clock that advances 20 ms per request, so every
 *       request is admitted (limit 100 per 1 s window) while the ring does its full admission work;</li>
 *   <li>{@code rejected}: a token limited to 1 per day, already used: every request ends with a 429 decision;</li>
 *   <li>{@code admittedViaAuthenticator}: as {@code admitted} but the secret check goes through the production
 *       {@link TokenAuthenticator#tryWithoutArgon2} (adds {@code Clock.instant()} and the cache-hit counter).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class PipelineBench {

    static final int DEFINITIONS = 1_000;
    static final long CLOCK_STEP = TimeUnit.MILLISECONDS.toNanos(20);

    /**
     * The form of the tokens' secrets: {@code chosen}, 40 characters of a user's choosing (the figures of
     * bench/RESULTS.md before the checksum moved off the cache hit), or {@code generated}, the {@code udapi_} form
     * with its checksum that udapi gives every token it creates.
     */
    @Param({"chosen"})
    String secretForm;

    SecretDigester digester;
    VerifiedSecretCache cache;
    Registry registry;
    TokenAuthenticator authenticator;
    RateLimiterRegistry<LimiterKey> admitLimiters;
    RateLimiterRegistry<LimiterKey> realLimiters;
    BenchTrigger stages;
    BenchTrigger rejectStages;
    BenchTrigger stagesWithoutUsage;
    Clock clock = Clock.systemUTC();
    /** The synthetic clock of {@link #admitLimiters}; this state is thread-confined. */
    long fakeNanos;

    byte[] admitHeader;
    byte[] limitedHeader;
    List<String> admitPaths;
    String limitedPath = "limited/42";
    int next;

    @Setup
    public void setUp() {
        digester = new SecretDigester();
        cache = new VerifiedSecretCache();
        LookupTagger tagger = new LookupTagger("bench-pepper-0123456789");
        boolean generated = "generated".equals(secretForm);
        String admitSecret = generated ? new io.udapi.secret.SecretGenerator().generate() : Fixtures.secret(1);
        String limitedSecret = generated ? new io.udapi.secret.SecretGenerator().generate() : Fixtures.secret(2);
        ApiToken admit = Fixtures.token("tok-admit", tagger.tag(admitSecret), new RateLimit(100, Duration.ofSeconds(1)));
        ApiToken limited = Fixtures.token("tok-limited", tagger.tag(limitedSecret), new RateLimit(1, Duration.ofDays(1)));
        List<ApiDefinition> definitions = new ArrayList<>();
        for (int i = 0; i < DEFINITIONS; i++) {
            definitions.add(Fixtures.definition(i, Set.of(admit.id())));
        }
        definitions.add(new ApiDefinition("def-limited", null, null, "limited/{id}", Set.of(limited.id()),
                io.udapi.definition.ActionType.AutomationScript,
                new io.udapi.definition.ActionMeta("echo", io.udapi.definition.InputType.RawBody),
                io.udapi.audit.Stamp.created("bench", Fixtures.T0), 1));
        registry = BenchRegistry.create(definitions);
        registry.putToken(admit);
        registry.putToken(limited);
        cache.remember(digester.digest(admitSecret), admit.id(), admit.version(), cache.generation());
        cache.remember(digester.digest(limitedSecret), limited.id(), limited.version(), cache.generation());
        authenticator = BenchAuthenticator.create(registry, digester, tagger, cache);
        admitLimiters = new RateLimiterRegistry<>(() -> fakeNanos += CLOCK_STEP);
        realLimiters = new RateLimiterRegistry<>();
        stages = new BenchTrigger(authenticator, registry, admitLimiters);
        rejectStages = new BenchTrigger(authenticator, registry, realLimiters);
        stagesWithoutUsage = BenchTrigger.withoutUsage(authenticator, registry, admitLimiters);
        admitHeader = ("Bearer " + admitSecret).getBytes(StandardCharsets.US_ASCII);
        limitedHeader = ("Bearer " + limitedSecret).getBytes(StandardCharsets.US_ASCII);
        admitPaths = Fixtures.requestPaths(DEFINITIONS, 7);
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            blocks.add("10." + i + ".0.0/16");
        }
        for (int i = 0; i < 10; i++) {
            blocks.add("2001:db8:" + Integer.toHexString(i) + "::/48");
        }
        sourceRanges = new io.udapi.token.SourceRanges(blocks);
        // self-check: each variant ends where it should
        if (!admitted().startsWith("\"default\";r=")) {
            throw new IllegalStateException("admitted pipeline did not admit");
        }
        rejected();
        if (!rejected().equals("429")) {
            throw new IllegalStateException("rejected pipeline did not reject");
        }
        if (!admittedViaAuthenticator().startsWith("\"default\";r=")) {
            throw new IllegalStateException("authenticator pipeline did not admit");
        }
        if (!admittedViaStages().startsWith("\"default\";r=")) {
            throw new IllegalStateException("stage pipeline did not admit: " + admittedViaStages());
        }
        if (!admittedViaStagesWithoutUsage().startsWith("\"default\";r=")) {
            throw new IllegalStateException("stage pipeline without usage did not admit");
        }
        rejectedViaStages();
        if (!rejectedViaStages().equals("429")) {
            throw new IllegalStateException("stage pipeline did not reject: " + rejectedViaStages());
        }
    }

    private String nextPath() {
        int i = next;
        next = (i + 1) & (Fixtures.PATHS - 1);
        return admitPaths.get(i);
    }

    @Benchmark
    public String admitted() {
        return run(admitHeader, nextPath(), admitLimiters, false);
    }

    /** 100 blocks (90 IPv4, 10 IPv6) and an IPv4 peer in the last IPv4 one, as a token's source ranges. */
    io.udapi.token.SourceRanges sourceRanges;
    String peer = "10.89.0.1";

    /** As {@code admitted}, plus the source-range check of a token with 100 blocks (docs/tokens.md). */
    @Benchmark
    public String admittedWithSourceRanges() {
        if (!sourceRanges.allows(peer)) {
            return "401";
        }
        return run(admitHeader, nextPath(), admitLimiters, false);
    }

    @Benchmark
    public String rejected() {
        return run(limitedHeader, limitedPath, realLimiters, false);
    }

    @Benchmark
    public String admittedViaAuthenticator() {
        return run(admitHeader, nextPath(), admitLimiters, true);
    }

    /** As {@code rejected}, with the secret checked by {@link TokenAuthenticator#tryWithoutArgon2}, as the auth stage does. */
    @Benchmark
    public String rejectedViaAuthenticator() {
        return run(limitedHeader, limitedPath, realLimiters, true);
    }

    /**
     * As {@code admittedViaAuthenticator}, through the trigger path's own stages (method, URL, auth, route,
     * allow, limit: {@link BenchTrigger#inMemory}), their outcomes and the rate-limit headers of the response
     * stage. The figure to compare with {@code admittedViaAuthenticator} of a build before the stages.
     */
    @Benchmark
    public String admittedViaStages() {
        return stages.inMemory(new String(admitHeader, StandardCharsets.ISO_8859_1), nextPath());
    }

    /**
     * As {@code admittedViaStages} without recording the admission for lastUsedAt: the stages' own cost, to
     * compare with a build from before both the stages and usage recording.
     */
    @Benchmark
    public String admittedViaStagesWithoutUsage() {
        return stagesWithoutUsage.inMemory(new String(admitHeader, StandardCharsets.ISO_8859_1), nextPath());
    }

    /** As {@code rejected}, through the stages. */
    @Benchmark
    public String rejectedViaStages() {
        return rejectStages.inMemory(new String(limitedHeader, StandardCharsets.ISO_8859_1), limitedPath);
    }

    /** One request; answers the RateLimit header value, or the status code of the refusal. */
    private String run(byte[] header, String rawSuffix, RateLimiterRegistry<LimiterKey> limiters, boolean viaAuthenticator) {
        String secret = bearerSecret(new String(header, StandardCharsets.ISO_8859_1));
        if (secret == null) {
            return "401";
        }
        RequestPath path = RequestPath.of(rawSuffix);
        if (path.isEmpty()) {
            return "400";
        }
        if (BenchTrigger.pathBytes(rawSuffix) > 2048) {
            return "414";
        }
        SecretDigest digest = digester.digest(secret);
        ApiToken token;
        if (viaAuthenticator) {
            InlineAuth result = authenticator.tryWithoutArgon2(secret, digest);
            if (!(result instanceof AuthResult.Authenticated authenticated)) {
                return "401";
            }
            token = authenticated.token();
        } else {
            Verified proof = cache.lookup(digest).orElse(null);
            if (proof == null) {
                return "argon2";
            }
            token = registry.token(proof.tokenId()).orElse(null);
            Instant now = clock.instant();
            if (token == null || token.version() != proof.tokenVersion() || !token.canAuthenticate(now)) {
                return "401";
            }
        }
        RouteMatch<ApiDefinition> match = registry.definitions().routes().match(path).orElse(null);
        if (match == null) {
            return "404";
        }
        if (!match.value().allowedTokens().contains(token.id())) {
            return "401";
        }
        RateLimit limit = token.rateLimit();
        Decision decision = limiters.tryAcquire(new LimiterKey(token.id(), match.value().id()), limit.limit(),
                limit.window().toNanos());
        String policy = BenchTrigger.policyHeader(limit);
        if (!decision.allowed()) {
            String rateLimit = "\"default\";r=0;t=" + decision.retryAfterSeconds();
            return policy.length() + rateLimit.length() > 0 ? "429" : rateLimit;
        }
        return "\"default\";r=" + decision.remaining() + ";t=" + decision.resetSeconds();
    }

    /** As {@code TriggerHandler.bearerSecret}. */
    static String bearerSecret(String authorization) {
        if (authorization == null || authorization.length() <= 7 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String secret = authorization.substring(7).trim();
        return secret.isEmpty() ? null : secret;
    }
}
