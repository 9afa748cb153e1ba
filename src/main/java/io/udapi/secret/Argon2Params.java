package io.udapi.secret;

/**
 * Cost parameters of one Argon2id computation, as written in a PHC string ({@code m=..,t=..,p=..}).
 *
 * <p>Bounds (checked here, so an instance is always runnable by {@link SecretHasher}):
 * <ul>
 *   <li>{@code memoryKiB}: {@code 8 * parallelism .. 1 048 576} (1 GiB) — Argon2's own minimum, and a ceiling
 *       so that a tampered stored hash cannot make one verification allocate unbounded memory;</li>
 *   <li>{@code iterations}: {@code 1 .. 64};</li>
 *   <li>{@code parallelism}: {@code 1 .. 64}.</li>
 * </ul>
 * A PHC string whose parameters fall outside these bounds is "unsupported": {@link SecretHasher#matches}
 * answers false for it.
 *
 * @param memoryKiB   memory cost in KiB ({@code m})
 * @param iterations  time cost, passes over memory ({@code t})
 * @param parallelism lanes ({@code p})
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {

    /** Highest memory cost this service runs, in KiB (1 GiB). */
    public static final int MAX_MEMORY_KIB = 1 << 20;
    /** Highest time cost this service runs. */
    public static final int MAX_ITERATIONS = 64;
    /** Highest parallelism this service runs. */
    public static final int MAX_PARALLELISM = 64;

    /**
     * OWASP Password Storage Cheat Sheet minimum for Argon2id: m = 19 MiB, t = 2, p = 1 (docs/security.md, "Token secrets on the trigger path").
     * About 16 ms per computation with argon2-jvm on the reference machine.
     */
    public static final Argon2Params OWASP_MINIMUM = new Argon2Params(19_456, 2, 1);

    public Argon2Params {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException(
                    "parallelism must be 1.." + MAX_PARALLELISM + ", got " + parallelism);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be 1.." + MAX_ITERATIONS + ", got " + iterations);
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("memoryKiB must be " + (8 * parallelism) + ".." + MAX_MEMORY_KIB
                    + " (at least 8 KiB per lane), got " + memoryKiB);
        }
    }

    /**
     * Whether a hash made with these parameters is cheaper to attack than one made with {@code target}: less
     * memory or fewer passes. Parallelism is not compared: it spreads the same work over lanes and is a
     * throughput choice of the deployment, not a strength.
     */
    public boolean isWeakerThan(Argon2Params target) {
        return memoryKiB < target.memoryKiB || iterations < target.iterations;
    }
}
