package io.udapi.manage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.udapi.config.UdapiConfig;
import io.udapi.limit.Decision;
import io.udapi.limit.NanoClock;
import io.udapi.registry.Registry;
import io.udapi.route.Ascii;
import io.udapi.secret.SecretDigest;
import io.udapi.secret.SecretDigester;
import io.udapi.secret.SecretHasher;
import io.udapi.secret.VerificationGate;
import io.udapi.token.TokenName;
import io.udapi.user.AdminUser;
import io.udapi.user.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * HTTP Basic against the admin users of the store (docs/security.md, "Admin credentials"). Admin
 * credentials are treated like token secrets, because anybody who can reach the port can present them:
 * <ul>
 *   <li>A verified password is remembered under a keyed digest of name and password, <em>together with the
 *       stored hash it matched</em>. The entry counts only while the user's current hash is that same string:
 *       a new password, or a user deleted and created again under the same name (a new random salt), makes it
 *       worthless at once. Permissions are read from the registry on every request, never cached.</li>
 *   <li>A failed pair is remembered for {@code udapi.secrets.negative-ttl} against the hash it failed on (or
 *       against "no such user"), so repeating it costs one HMAC; it is void as soon as that user changes.</li>
 *   <li>At most {@code udapi.admin.sign-in-attempts} uncached verifications per user name and minute
 *       ({@link SignInThrottle}); beyond them 429 {@code TooManyAttempts}, without Argon2.</li>
 *   <li>Argon2 runs through its own {@link VerificationGate} on a small fixed pool
 *       ({@code udapi.admin.max-verifications}, queue {@code udapi.admin.verification-queue}): a flood of wrong
 *       credentials costs at most that many 19 MiB Argon2 runs at once, and beyond the queue the caller gets
 *       503 {@code AuthenticationBusy}. Its own pool, not the trigger path's: an admin flood never delays
 *       the verification of token secrets.</li>
 * </ul>
 * {@link #authenticate} never blocks: it answers from the caches inline or completes later on an Argon2 thread.
 * Both caches are bounded ({@link #MAX_CACHED} entries each, cleared when full: admins are few, so only a
 * flood fills them).
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // created at start, so a bad udapi.admin.* setting stops the start with its message
public class AdminAuthenticator {

    private static final Logger LOG = Logger.getLogger(AdminAuthenticator.class);
    static final int MAX_CACHED = 10_000;

    /** What the credentials of one request amount to. */
    public sealed interface Outcome {
        record Authenticated(Caller caller) implements Outcome {
        }

        /** Expected refusals, as values: wrong or missing credentials, or every Argon2 slot and queue place taken. */
        enum Refusal implements Outcome { UNAUTHORIZED, BUSY }

        /** The name's uncached verifications of the last minute are used up ({@link SignInThrottle}). */
        record Throttled(long retryAfterSeconds) implements Outcome {
        }
    }

    private final Registry registry;
    private final SecretHasher hasher;
    private final SecretDigester digester;
    private final Clock clock;
    private final Duration negativeTtl;
    private final VerificationGate gate;
    private final SignInThrottle throttle;
    /** digest of name + password → the stored hash it was proved against. */
    private final Map<SecretDigest, String> verified = new ConcurrentHashMap<>();
    private final Map<SecretDigest, Failure> failed = new ConcurrentHashMap<>();
    private final Counter argon2Runs;
    private volatile String dummyHash;

    /** A failed pair: the hash it failed against ({@code null}: no such user) and until when it is remembered. */
    private record Failure(String passwordHash, Instant until) {
    }

    AdminAuthenticator(Registry registry, SecretHasher hasher, SecretDigester digester, UdapiConfig config,
                       Clock clock, NanoClock nanoClock, MeterRegistry meters) {
        this.registry = registry;
        this.hasher = hasher;
        this.digester = digester;
        this.clock = clock;
        this.negativeTtl = config.secrets().negativeTtl();
        this.gate = VerificationGate.onOwnThreads("udapi-admin-argon2", config.admin().maxVerifications(),
                config.admin().verificationQueue());
        this.throttle = new SignInThrottle(digester, nanoClock, config.admin().signInAttempts());
        this.argon2Runs = meters.counter("udapi.admin.password.verifications");
        meters.gauge("udapi.admin.password.verification.queue", gate, VerificationGate::queueDepth);
    }

    /** The outcome for an {@code Authorization} header; never blocks, safe on the event loop. */
    public CompletionStage<Outcome> authenticate(String authorization) {
        Credentials credentials = Credentials.parse(authorization);
        if (credentials == null) {
            return CompletableFuture.completedFuture(Outcome.Refusal.UNAUTHORIZED);
        }
        SecretDigest key = digester.digest(credentials.name() + '\u0000' + credentials.password());
        AdminUser user = registry.user(TokenName.key(credentials.name())).orElse(null);
        String currentHash = user == null ? null : user.passwordHash();
        if (currentHash != null && currentHash.equals(verified.get(key))) {
            return CompletableFuture.completedFuture(new Outcome.Authenticated(Caller.of(user)));
        }
        Failure failure = failed.get(key);
        if (failure != null && Objects.equals(failure.passwordHash(), currentHash)
                && clock.instant().isBefore(failure.until())) {
            return CompletableFuture.completedFuture(Outcome.Refusal.UNAUTHORIZED);
        }
        return gate.submit(() -> verified(credentials, key, user, currentHash), Outcome.Refusal.BUSY);
    }

    /** On an Argon2 thread: the outcome of one Argon2 run, remembered for the next request with this pair. */
    private Outcome verified(Credentials credentials, SecretDigest key, AdminUser user, String currentHash) {
        // counted here, where Argon2 is about to run, so a refusal for a full gate (503) spends no attempt
        Decision attempt = throttle.attempt(credentials.name()); // a known name or not: the same answer
        if (!attempt.allowed()) {
            return new Outcome.Throttled(Math.max(1, attempt.retryAfterSeconds()));
        }
        boolean match;
        try {
            argon2Runs.increment();
            // an unknown name costs the same Argon2 run as a known one: timing does not reveal user names
            match = hasher.matches(credentials.password(), currentHash == null ? dummyHash() : currentHash);
        } catch (RuntimeException | Error fault) {
            // a fault refuses this request and is not remembered: the next attempt runs Argon2 again
            LOG.errorf("admin password verification failed: %s", fault.toString());
            return Outcome.Refusal.UNAUTHORIZED;
        }
        if (match && currentHash != null) {
            remember(verified, key, currentHash);
            // the user as it is now: a change made during the Argon2 run applies to this request too
            AdminUser now = registry.user(user.id()).filter(u -> u.passwordHash().equals(currentHash))
                    .orElse(null);
            return now == null ? Outcome.Refusal.UNAUTHORIZED : new Outcome.Authenticated(Caller.of(now));
        }
        remember(failed, key, new Failure(currentHash, clock.instant().plus(negativeTtl)));
        return Outcome.Refusal.UNAUTHORIZED;
    }

    /**
     * Whether what {@code caller} proved still holds, with {@code permission}: the same user (same stored
     * hash, so neither deleted, recreated nor given a new password) that still has the permission. Long-lived
     * responses (the event stream) ask this while they run.
     */
    public boolean stillValid(Caller caller, Permission permission) {
        return registry.user(TokenName.key(caller.name()))
                .filter(u -> u.passwordHash().equals(caller.passwordHash()))
                .filter(u -> permission == null || u.has(permission))
                .isPresent();
    }

    private static <V> void remember(Map<SecretDigest, V> cache, SecretDigest key, V value) {
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(key, value);
    }

    /** A hash of a random password, computed once, to spend Argon2 time on unknown user names. */
    private String dummyHash() {
        String hash = dummyHash;
        if (hash == null) {
            hash = hasher.hash(UUID.randomUUID().toString());
            dummyHash = hash;
        }
        return hash;
    }

    /** The throttle window {@code name} counts in, for tests that need names in windows of their own. */
    int signInWindowOf(String name) {
        return throttle.bucketOf(name);
    }

    void onStop(@Observes ShutdownEvent event) {
        gate.close();
    }

    /**
     * The user and password of a {@code Basic} header; {@code null} for anything else. The scheme compares
     * ASCII letters ignoring case and nothing more ({@link Ascii}): {@code Ba\u017Fic} (long s) is not
     * {@code Basic}, though {@link String#regionMatches(boolean, int, String, int, int)} would say it is.
     */
    record Credentials(String name, String password) {
        static Credentials parse(String header) {
            if (header == null || header.length() < 7 || !Ascii.startsWithIgnoreCase(header, "Basic ")) {
                return null;
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        }

        @Override
        public String toString() {
            return "Credentials[name=" + name + ", password=<hidden>]";
        }
    }
}
