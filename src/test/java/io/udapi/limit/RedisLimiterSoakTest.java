package io.udapi.limit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.limit.redis.PipelinedConnection;
import io.udapi.limit.redis.RedisLimiter;
import io.udapi.limit.redis.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Soak test of the cluster limiter's invariant on a real {@code redis-server}: through two independent clients
 * (two instances), with up to 256 attempts in flight, no half-open interval of length {@code window} holds more
 * than {@code limit} admissions. The attempts share one controllable clock (an {@link AtomicLong} advanced by
 * 1 µs per attempt, sent with each attempt), so replies race and readings arrive out of order; every admission is
 * recorded with its reading, and afterwards sorted readings must satisfy {@code t[j + limit] - t[j] >= window}.
 *
 * <p>20,000 attempts by default (a few seconds); a long run, not part of any build:
 * {@code ./mvnw -B -Djcstress.skip -DskipITs -Dfuzz.skip test-compile surefire:test@default-test
 * -Dtest=RedisLimiterSoakTest -Dlimit.soak.attempts=1000000}.
 */
class RedisLimiterSoakTest {

    private static final long US = 1_000L;

    @Test
    void shouldNeverAdmitMoreThanLimitInAnyWindowThroughTwoClients() throws Exception {
        long attempts = Long.getLong("limit.soak.attempts", 20_000L);
        int limit = 10;
        long windowMicros = 1_000;
        AtomicLong micros = new AtomicLong(1L << 40);
        LimiterKey key = new LimiterKey("soak-" + UUID.randomUUID(), "d");
        Vertx vertx = Vertx.vertx();
        try (RedisServer server = RedisServer.startNew()) {
            List<Redis> clients = List.of(client(vertx, server), client(vertx, server));
            List<PipelinedConnection> pipelines = clients.stream().map(PipelinedConnection::new).toList();
            List<Long> admitted = java.util.Collections.synchronizedList(new ArrayList<>());
            Semaphore inFlight = new Semaphore(256);
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (long i = 0; i < attempts; i++) {
                inFlight.acquire();
                // the reading is the one the limiter sends: taken here, so that it can be recorded with the decision
                long reading = micros.incrementAndGet();
                RedisLimiter limiter = new RedisLimiter(pipelines.get((int) (i & 1)), "udapi:soak:", () -> reading * US);
                CompletableFuture<?> done = limiter.tryAcquire(key, limit, windowMicros * US).toCompletableFuture()
                        .whenComplete((decision, failure) -> {
                            inFlight.release();
                            if (decision != null && decision.allowed()) {
                                admitted.add(reading);
                            }
                        });
                pending.add(done);
                if (pending.size() > 4096) {
                    pending.remove(0).get(30, TimeUnit.SECONDS);
                }
            }
            for (CompletableFuture<?> done : pending) {
                done.get(30, TimeUnit.SECONDS);
            }
            List<Long> sorted = new ArrayList<>(admitted);
            sorted.sort(null);
            for (int j = 0; j + limit < sorted.size(); j++) {
                long span = sorted.get(j + limit) - sorted.get(j);
                assertTrue(span >= windowMicros, "admissions " + j + ".." + (j + limit) + " within " + span + " µs");
            }
            assertTrue(sorted.size() >= limit * (attempts / windowMicros) / 2,
                    "the limiter admitted too little to show anything: " + sorted.size());
            System.out.printf("redis limiter soak: %,d attempts, %,d admitted%n", attempts, sorted.size());
            clients.forEach(Redis::close);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static Redis client(Vertx vertx, RedisServer server) {
        return Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url()).setMaxPoolSize(8)
                .setMaxPoolWaiting(1024));
    }
}
