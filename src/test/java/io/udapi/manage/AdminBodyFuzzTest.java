package io.udapi.manage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.udapi.problem.Problem;
import io.udapi.problem.ProblemException;
import io.udapi.registry.Registry;
import io.udapi.secret.Argon2Params;
import io.udapi.secret.SecretGenerator;
import io.udapi.secret.SecretHasher;
import jakarta.enterprise.event.Event;
import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Admin JSON bodies (docs/api.md) against arbitrary bytes: token create, definition create, user create, each
 * through its real parsing and validation ({@link JsonBody}, {@link TokenRequests}, {@link DefinitionAdmin},
 * {@link UserAdmin}) up to the point where {@link AdminWrites} would start the write. Seeds:
 * {@code src/test/resources/io/udapi/manage/AdminBodyFuzzTestInputs/body/}; docs/fuzzing.md.
 *
 * <p><b>Input format</b>: the first byte picks the endpoint ({@code T} tokens, {@code D} definitions,
 * {@code U} users; another byte by its value modulo 3), the rest is the body as UTF-8, as JAX-RS hands it to
 * the resource.
 *
 * <p><b>Property</b>: every body ends in exactly one of two clear outcomes: accepted (the service reaches
 * its write: the write lock for tokens and users, the route claim for definitions, where this harness
 * stops it), or a {@link ProblemException} of one or more problems, each with a message and a 4xx status
 * in {@link ProblemStatus}. Any other exception would be a 500 and fails the test.
 */
class AdminBodyFuzzTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final Caller CALLER = new Caller("fuzz", Set.of(), "-");

    /** Thrown where the service would start writing: the body was accepted. */
    private static final class ReachedWrite extends RuntimeException {
        ReachedWrite() {
            super("reached the write", null, false, false);
        }
    }

    private static final WriteLock STOP = new WriteLock() {
        @Override
        public <T> T call(Supplier<T> action) {
            throw new ReachedWrite();
        }
    };
    private static final UniqueKeys STOP_AT_CLAIM = new UniqueKeys(null, CLOCK) {
        @Override
        Optional<String> acquire(String kind, String key, String ownerId, Predicate<String> holderUsesKey) {
            throw new ReachedWrite();
        }
    };
    /** The cross-instance mutex is taken only once every rule of the body passed: it counts as the write. */
    private static final ClusterMutex STOP_AT_MUTEX = new ClusterMutex(null, CLOCK) {
        @Override
        public <T> T holding(String kind, String key, java.util.function.Function<Held, T> action) {
            throw new ReachedWrite();
        }
    };
    private static final Registry REGISTRY = emptyRegistry();
    /** Argon2 at its smallest: secrets are hashed before any lock, and the fuzzer needs speed, not strength. */
    private static final WriteArgon2 FAST_ARGON2 = new WriteArgon2(new SecretHasher(new Argon2Params(8, 1, 1)),
            io.udapi.secret.VerificationGate.onOwnThreads("fuzz-argon2", 1, 16));
    /** Tokens and users stop at the mutex or the write lock, where {@link AdminWrites} starts the write. */
    private static final AdminWrites STOPPED_WRITES = new AdminWrites(null, REGISTRY, null, STOP, STOP_AT_CLAIM,
            STOP_AT_MUTEX, CLOCK);
    /** The definition rules run inside the write lock, so this one runs its action and stops at the claim. */
    private static final AdminWrites CLAIM_STOPPED_WRITES = new AdminWrites(null, REGISTRY, null, new WriteLock(),
            STOP_AT_CLAIM, STOP_AT_MUTEX, CLOCK);
    private static final TokenListing LISTING = new TokenListing(REGISTRY, CLOCK);
    private static final TokenAdmin TOKENS = new TokenAdmin(STOPPED_WRITES, LISTING,
            new TokenRevocation(STOPPED_WRITES, LISTING, REGISTRY),
            new TokenSecrets(null, REGISTRY, FAST_ARGON2, new io.udapi.secret.LookupTagger("fuzz-pepper-0123456789abcdef"),
                    CLOCK),
            new SecretGenerator(), REGISTRY, CLOCK);
    private static final DefinitionAdmin DEFINITIONS = new DefinitionAdmin(CLAIM_STOPPED_WRITES, REGISTRY, CLOCK);
    private static final UserAdmin USERS = new UserAdmin(STOPPED_WRITES, null, REGISTRY, FAST_ARGON2, CLOCK);

    @FuzzTest(maxDuration = "15s")
    void body(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String body = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        int endpoint = switch (input[0]) {
            case 'T' -> 0;
            case 'D' -> 1;
            case 'U' -> 2;
            default -> Math.floorMod(input[0], 3);
        };
        try {
            switch (endpoint) {
                case 0 -> TOKENS.create(CALLER, JsonBody.parse(body, TokenAdmin.CREATE_FIELDS));
                case 1 -> DEFINITIONS.create(CALLER, JsonBody.parse(body, DefinitionAdmin.FIELDS));
                default -> USERS.create(CALLER, JsonBody.parse(body, UserAdmin.FIELDS));
            }
            throw new AssertionError("neither accepted nor refused: " + body);
        } catch (ReachedWrite accepted) {
            // a clear outcome: valid
        } catch (ProblemException refused) {
            assertFalse(refused.problems().isEmpty());
            for (Problem problem : refused.problems()) {
                assertNotNull(problem.reason());
                assertTrue(problem.message() != null && !problem.message().isBlank(), problem::toString);
                int status = ProblemStatus.of(problem.reason());
                assertTrue(status >= 400 && status < 500, () -> status + " for " + problem);
            }
        } catch (RuntimeException e) {
            throw new AssertionError("unexpected " + e + " (a 500) for endpoint " + endpoint + ", body "
                    + Arrays.toString(input), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Registry emptyRegistry() {
        Event<?> ignore = (Event<?>) Proxy.newProxyInstance(AdminBodyFuzzTest.class.getClassLoader(),
                new Class<?>[] {Event.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        try {
            Constructor<Registry> constructor = Registry.class.getDeclaredConstructor(Event.class);
            constructor.setAccessible(true);
            return constructor.newInstance(ignore);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
