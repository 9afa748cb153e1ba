package io.udapi.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.limit.redis.PipelinedConnection;
import io.udapi.limit.redis.RedisLimiter;
import io.udapi.limit.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ClusterLimiter} around {@link RedisLimiter} on a real {@code redis-server} whose clients are paused
 * ({@code CLIENT PAUSE}): a reply slower than the timeout is answered by the fallback, and once the server answers
 * again (after the retry interval, on a fake clock) cluster decisions resume. The late reply's admission stays
 * recorded on the server, as docs/concepts.md, "Cluster scope" says.
 */
class ClusterLimiterOnRedisTest {

    private static final long S = 1_000_000_000L;

    private static RedisServer server;
    private static Vertx vertx;
    private static Redis client;

    @BeforeAll
    static void start() {
        server = RedisServer.startNew();
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void tryAcquireWhenServerRepliesAfterTimeoutThenLocalDecidesAndClusterResumesAfterRetryInterval() throws Exception {
        FakeNanoClock clock = new FakeNanoClock();
        List<ClusterLimiter.Transition> transitions = new CopyOnWriteArrayList<>();
        RedisLimiter shared = new RedisLimiter(new PipelinedConnection(client), "udapi:pause:", null);
        ClusterLimiter limiter = new ClusterLimiter(shared,
                new LocalLimiter(new RateLimiterRegistry<>(clock)), Duration.ofMillis(500), Duration.ofSeconds(1),
                ClusterLimiter.Fallback.LOCAL, clock, transitions::add);
        LimiterKey key = new LimiterKey("t-" + UUID.randomUUID(), "d");
        String redisKey = "udapi:pause:" + key.tokenId().length() + ":" + key.tokenId() + ":d";

        // warm: the connection opened and the script cached; a 500 ms timeout leaves a loaded machine ample room,
        // and the pause (2 s) four times as long
        shared.tryAcquire(new LimiterKey("warm", "d"), 1, S)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(ClusterLimiter.Source.CLUSTER, join(limiter, key).source());
        assertEquals("+OK", server.command("CLIENT PAUSE 2000 ALL"));
        ClusterLimiter.Answer slow = join(limiter, key);
        assertEquals(ClusterLimiter.Source.LOCAL, slow.source());
        assertTrue(slow.decision().allowed());
        assertEquals(List.of(new ClusterLimiter.Transition(false, "no reply within 500 ms")), transitions);
        assertEquals("+OK", server.command("CLIENT UNPAUSE")); // answered once the pause ends (it is paused too)

        clock.advance(S); // the retry interval has passed
        ClusterLimiter.Answer resumed = join(limiter, key);
        assertEquals(ClusterLimiter.Source.CLUSTER, resumed.source());
        // the server's log: the first, the late one (recorded although dropped here) and this one
        assertEquals(7, resumed.decision().remaining());
        assertEquals(":3", server.command("LLEN " + redisKey));
        assertEquals(new ClusterLimiter.Transition(true, null), transitions.get(1));
        assertEquals(1, limiter.fallbacks());
    }

    private static ClusterLimiter.Answer join(ClusterLimiter limiter, LimiterKey key) throws Exception {
        return limiter.tryAcquire(key, 10, 3_600 * S).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
