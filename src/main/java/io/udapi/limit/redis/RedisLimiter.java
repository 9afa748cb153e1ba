package io.udapi.limit.redis;

import io.udapi.limit.Decision;
import io.udapi.limit.Limiter;
import io.udapi.limit.LimiterKey;
import io.udapi.limit.NanoClock;
import io.udapi.limit.SlidingWindowLimiter;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * {@link Limiter} on a Valkey/Redis server: one server-side script per attempt ({@code sliding-log.lua} beside
 * this class) keeps, per (token, definition), an exact sliding log of the newest 100 admission stamps and decides
 * by {@link SlidingWindowLimiter}'s rule, atomically, on the server's clock. Every instance asks the same server,
 * so the limit holds across the cluster.
 *
 * <p><b>Time.</b> Stamps are microseconds of the server's clock ({@code TIME}), one clock for every instance; a
 * limiter given a {@link NanoClock} sends its readings instead (tests, in virtual time). Stamps are strictly
 * increasing, one microsecond apart for admissions within the same microsecond (the local ring: one
 * nanosecond), so decisions carry whole microseconds.
 *
 * <p><b>Calls.</b> {@code EVALSHA} with the script's digest; on {@code NOSCRIPT} (a restarted or flushed server)
 * one {@code EVAL}, which caches the script again. Every attempt is pipelined on one connection
 * ({@link PipelinedConnection}). Asynchronous: the returned stage completes on the client's
 * I/O thread, and nothing blocks.
 */
public final class RedisLimiter implements Limiter {

    static final String SCRIPT = readScript();
    static final String SHA1 = sha1(SCRIPT);

    private final PipelinedConnection redis;
    private final String keyPrefix;
    private final NanoClock clock;

    /**
     * @param keyPrefix prefix of every key written
     * @param clock null for the server's clock (what the service uses), or a clock whose readings are sent
     */
    public RedisLimiter(PipelinedConnection redis, String keyPrefix, NanoClock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        this.clock = clock;
    }

    @Override
    public CompletionStage<Decision> tryAcquire(LimiterKey key, int limit, long windowNanos) {
        if (limit < 1 || limit > SlidingWindowLimiter.MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " must be 1.." + SlidingWindowLimiter.MAX_LIMIT);
        }
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("window " + windowNanos + " ns must be > 0");
        }
        String key1 = key(key);
        // whole microseconds, rounded up: a window never shrinks
        long windowMicros = windowNanos / 1000 + (windowNanos % 1000 == 0 ? 0 : 1);
        String now = clock == null ? "" : Long.toString(Math.floorDiv(clock.nanoTime(), 1000L));
        Future<Response> reply = redis.send(call(Command.EVALSHA, SHA1, key1, limit, windowMicros, now))
                .recover(failure -> isNoScript(failure)
                        ? redis.send(call(Command.EVAL, SCRIPT, key1, limit, windowMicros, now))
                        : Future.failedFuture(failure));
        return reply.map(RedisLimiter::decision).toCompletionStage();
    }

    /** The server key of {@code key}: the token id's length keeps any two pairs apart. */
    String key(LimiterKey key) {
        return keyPrefix + key.tokenId().length() + ':' + key.tokenId() + ':' + key.definitionId();
    }

    private static Request call(Command command, String script, String key, int limit, long windowMicros, String now) {
        return Request.cmd(command).arg(script).arg(1).arg(key).arg(limit).arg(windowMicros).arg(now)
                .arg(SlidingWindowLimiter.MAX_LIMIT);
    }

    private static boolean isNoScript(Throwable failure) {
        String message = failure.getMessage();
        return message != null && message.startsWith("NOSCRIPT");
    }

    private static Decision decision(Response reply) {
        if (reply == null || reply.size() != 3) {
            throw new IllegalStateException("the rate-limit script answered " + reply);
        }
        long micros = reply.get(2).toLong();
        return reply.get(0).toInteger() == 1
                ? Decision.allowed(reply.get(1).toInteger(), micros * 1000)
                : Decision.denied(micros * 1000);
    }

    private static String readScript() {
        try (InputStream in = RedisLimiter.class.getResourceAsStream("sliding-log.lua")) {
            if (in == null) {
                throw new IllegalStateException("io/udapi/limit/redis/sliding-log.lua is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
