package io.udapi.script;

import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.udapi.config.UdapiConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of one engine (docs/scripts.md).
 *
 * @param timeout        whole-run deadline, counted from submission (queue wait included): {@code udapi.script.timeout}, 90 s
 * @param maxConcurrency runs at once, ≥ 1: process {@code max(4, cores)}, http 512
 * @param maxQueue       runs waiting for a slot, ≥ 0, beyond it 503/1006: 1000
 * @param maxOutputBytes largest script output (process stdout, http response body), ≥ 1: 40 MiB, or more when
 *                       {@code udapi.limits.max-body-size} is raised so that its base64 still fits
 */
public record ScriptLimits(Duration timeout, int maxConcurrency, int maxQueue, long maxOutputBytes) {
    /** docs/scripts.md: stdout is read up to 40 MiB. */
    public static final long DEFAULT_MAX_OUTPUT_BYTES = 40L * 1024 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);
    public static final int DEFAULT_MAX_QUEUE = 1000;
    public static final int DEFAULT_HTTP_MAX_CONCURRENCY = 512;

    public ScriptLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be >= 1: " + maxConcurrency);
        }
        if (maxQueue < 0) {
            throw new IllegalArgumentException("maxQueue must be >= 0: " + maxQueue);
        }
        if (maxOutputBytes < 1 || maxOutputBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxOutputBytes must be 1..2^31-9: " + maxOutputBytes);
        }
    }

    /** Process engine default: {@code max(4, cores)}. */
    public static int defaultProcessConcurrency() {
        return Math.max(4, Runtime.getRuntime().availableProcessors());
    }

    /** Limits of {@code kind} from configuration. */
    public static ScriptLimits fromConfig(UdapiConfig config, UdapiConfig.EngineKind kind) {
        int concurrency = config.script().maxConcurrency().orElse(
                kind == UdapiConfig.EngineKind.http ? DEFAULT_HTTP_MAX_CONCURRENCY : defaultProcessConcurrency());
        return new ScriptLimits(config.script().timeout(), concurrency, config.script().maxQueue(),
                outputLimitFor(maxBodyBytes(config)));
    }

    /** {@code udapi.limits.max-body-size} in bytes ({@code 29M} = 29 MiB, Quarkus memory-size syntax). */
    public static long maxBodyBytes(UdapiConfig config) {
        return bytes(config.limits().maxBodySize());
    }

    /** A size in Quarkus memory-size syntax ({@code 512M}, {@code 4K}, {@code 1000}) in bytes. */
    public static long bytes(String size) {
        return new MemorySizeConverter().convert(size).asLongValue();
    }

    /** 40 MiB, or the base64 size of {@code maxBodyBytes} plus 1 MiB of JSON when that is larger. */
    public static long outputLimitFor(long maxBodyBytes) {
        long base64 = (maxBodyBytes + 2) / 3 * 4;
        return Math.min(Integer.MAX_VALUE - 8L, Math.max(DEFAULT_MAX_OUTPUT_BYTES, base64 + 1024 * 1024));
    }
}
