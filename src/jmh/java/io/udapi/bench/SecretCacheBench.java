package io.udapi.bench;

import io.udapi.secret.SecretDigest;
import io.udapi.secret.SecretDigester;
import io.udapi.secret.VerifiedSecretCache;
import io.udapi.secret.VerifiedSecretCache.Verified;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The cache-hit secret check (docs/security.md, "Token secrets on the trigger path"): keyed digest (HMAC-SHA-256 under the process key) of the presented
 * secret plus one {@link VerifiedSecretCache#lookup}, against the insecure baseline of a bare
 * {@link ConcurrentHashMap} keyed by the secret itself. 1,000 cached secrets; every call builds the secret
 * String afresh from header bytes (as a request does), so neither side gets a cached String hash.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class SecretCacheBench {

    static final int SECRETS = 1_000;

    SecretDigester digester;
    VerifiedSecretCache cache;
    ConcurrentHashMap<String, String> bare;
    byte[][] headers;
    int next;

    @Setup
    public void setUp() {
        digester = new SecretDigester();
        cache = new VerifiedSecretCache();
        bare = new ConcurrentHashMap<>();
        headers = new byte[SECRETS][];
        for (int i = 0; i < SECRETS; i++) {
            String secret = Fixtures.secret(i);
            String tokenId = "token-" + i;
            if (!cache.remember(digester.digest(secret), tokenId, 1, cache.generation())) {
                throw new IllegalStateException("not cached");
            }
            bare.put(secret, tokenId);
            headers[i] = secret.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private String presented() {
        int i = next;
        next = i + 1 == SECRETS ? 0 : i + 1;
        return new String(headers[i], StandardCharsets.ISO_8859_1);
    }

    /** What a cache hit costs in udapi: digest + lookup. */
    @Benchmark
    public Optional<Verified> udapiDigestAndLookup() {
        return cache.lookup(digester.digest(presented()));
    }

    /** The digest alone (HMAC-SHA-256 of ~40 bytes with a per-thread Mac). */
    @Benchmark
    public SecretDigest udapiDigestOnly() {
        return digester.digest(presented());
    }

    /** Baseline: a bare map from secret to token id (keeps secrets in memory; not acceptable, just the floor). */
    @Benchmark
    public String baselineConcurrentHashMap() {
        return bare.get(presented());
    }
}
