package io.udapi.manage;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.udapi.config.UdapiConfig;
import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import io.udapi.secret.SecretHasher;
import io.udapi.secret.VerificationGate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The Argon2 runs of admin writes: hashing a new password or token secret, and comparing a new secret with the
 * tokens that share its lookup tag (docs/security.md, "Admin credentials"). Each run takes 19 MiB outside the
 * Java heap, and admin writes run on the REST worker pool, which grows to hundreds of threads: unbounded, a
 * flood of writes that each hash (they need not succeed: a reused secret is refused only after its Argon2
 * comparison) grew the resident memory by 19 MiB per concurrent request. So they go through a gate of their
 * own, {@code udapi.admin.max-verifications} at once with {@code udapi.admin.verification-queue} waiting, and
 * beyond it the write answers 503 {@code AuthenticationBusy} with {@code Retry-After: 1} before it changed
 * anything. Its own gate, not the sign-ins': a flood of wrong passwords from anybody never stops an
 * authenticated admin's writes, nor the reverse.
 *
 * <p>Blocking: call it on a worker thread (admin writes run there), never on an event loop.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // its gauge exists from the start
public class WriteArgon2 {

    private final SecretHasher hasher;
    private final VerificationGate gate;

    @Inject
    WriteArgon2(SecretHasher hasher, UdapiConfig config, MeterRegistry meters) {
        this(hasher, VerificationGate.onOwnThreads("udapi-admin-write-argon2", config.admin().maxVerifications(),
                config.admin().verificationQueue()));
        meters.gauge("udapi.admin.write.argon2.queue", gate, VerificationGate::queueDepth);
    }

    /** @param gate the bound; tests pass one they can fill */
    WriteArgon2(SecretHasher hasher, VerificationGate gate) {
        this.hasher = hasher;
        this.gate = gate;
    }

    /** The Argon2id hash of {@code secret}; blocks while the gate's queue holds it. */
    String hash(String secret) {
        return await(() -> hasher.hash(secret));
    }

    /** Whether {@code secret} has the hash {@code hash}; blocks while the gate's queue holds it. */
    boolean matches(String secret, String hash) {
        return await(() -> hasher.matches(secret, hash));
    }

    /** The gate, for tests that fill it. */
    VerificationGate gate() {
        return gate;
    }

    private <T> T await(Supplier<T> argon2) {
        Optional<T> done;
        try {
            done = gate.submit(() -> Optional.of(argon2.get()), Optional.<T>empty()).toCompletableFuture().join();
        } catch (CompletionException fault) {
            throw fault.getCause() instanceof RuntimeException e ? e : fault;
        }
        return done.orElseThrow(() -> new ProblemException(Problems.of(Reason.AuthenticationBusy, null,
                "too many admin writes are hashing secrets or passwords; retry in a second")));
    }

    void onStop(@Observes ShutdownEvent event) {
        gate.close();
    }
}
