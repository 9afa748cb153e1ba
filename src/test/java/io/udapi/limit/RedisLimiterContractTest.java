package io.udapi.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.limit.redis.PipelinedConnection;
import io.udapi.limit.redis.RedisLimiter;
import io.udapi.limit.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@link Limiter} contract on a real {@code redis-server} ({@link RedisServer}), through two independent
 * clients (two connection pools, as two instances would have) that {@link #limiter()} alternates between; plus
 * what only the server does: its own clock, key expiry, and the script cache being lost.
 */
class RedisLimiterContractTest extends AbstractLimiterContractTest {

    private static RedisServer server;
    private static Vertx vertx;
    private static List<Redis> clients;
    private static List<PipelinedConnection> pipelines;
    private int next;

    @BeforeAll
    static void startServer() {
        server = RedisServer.startNew();
        vertx = Vertx.vertx();
        clients = List.of(client(), client());
        pipelines = clients.stream().map(PipelinedConnection::new).toList();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (clients != null) {
            clients.forEach(Redis::close);
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.stop();
        }
    }

    private static Redis client() {
        return Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url()).setMaxPoolSize(4)
                .setMaxPoolWaiting(1024));
    }

    @Override
    protected Limiter limiter() {
        return new RedisLimiter(pipelines.get(next++ % pipelines.size()), "udapi:test:", clock);
    }

    @Override
    protected long resolution() {
        return 1_000;
    }

    @Override
    protected int steps() {
        return 3_000; // one round trip each
    }

    @Test
    void tryAcquireOnTheServerClockThenKeyExpiresAfterTheWindow() throws Exception {
        LimiterKey key = new LimiterKey("t-" + UUID.randomUUID(), "d");
        RedisLimiter limiter = new RedisLimiter(pipelines.get(0), "udapi:test:", null);
        Decision first = join(limiter, key, 2, 60 * S);
        assertTrue(first.allowed());
        assertEquals(1, first.remaining());
        assertEquals(60 * S, first.resetNanos()); // only itself counts
        assertTrue(join(limiter, key, 2, 60 * S).allowed());
        Decision denied = join(limiter, key, 2, 60 * S);
        assertFalse(denied.allowed());
        assertTrue(denied.retryAfterNanos() > 50 * S && denied.retryAfterNanos() <= 60 * S, denied::toString);
        long ttl = Long.parseLong(server.command("PTTL udapi:test:" + key.tokenId().length() + ":" + key.tokenId()
                + ":d").substring(1));
        assertTrue(ttl > 50_000 && ttl <= 60_001, "PTTL " + ttl);
        assertEquals(":2", server.command("LLEN udapi:test:" + key.tokenId().length() + ":" + key.tokenId() + ":d"),
                "a denial writes nothing");
    }

    @Test
    void tryAcquireWhenTheServerLostItsScriptsThenLoadsThemAgain() throws Exception {
        LimiterKey key = new LimiterKey("t-" + UUID.randomUUID(), "d");
        RedisLimiter limiter = new RedisLimiter(pipelines.get(1), "udapi:test:", null);
        assertTrue(join(limiter, key, 1, 60 * S).allowed());
        assertEquals("+OK", server.command("SCRIPT FLUSH"));
        assertFalse(join(limiter, key, 1, 60 * S).allowed()); // EVALSHA: NOSCRIPT, then EVAL
        assertTrue(join(limiter, key, 2, 60 * S).allowed()); // and the cached script again
    }

    private static Decision join(Limiter limiter, LimiterKey key, int limit, long window) throws Exception {
        return limiter.tryAcquire(key, limit, window).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
