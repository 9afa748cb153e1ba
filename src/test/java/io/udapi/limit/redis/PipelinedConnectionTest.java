package io.udapi.limit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one pipelined connection of the rate limits, on a real redis-server: shared, ordered, and replaced when it dies. */
class PipelinedConnectionTest {

    private static RedisServer server;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        server = RedisServer.startNew();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.stop();
    }

    private static Redis client() {
        return Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url()).setMaxPoolSize(8));
    }

    private static <T> T join(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Connections the server holds under {@code name}, asked over a connection of a separate client. */
    private static int clientsNamed(String name) throws Exception {
        Redis other = client();
        try {
            String list = join(other.send(Request.cmd(Command.CLIENT).arg("LIST"))).toString();
            return (int) list.lines().filter(line -> line.contains(" name=" + name + " ")).count();
        } finally {
            other.close();
        }
    }

    @Test
    void sendWhenManyCommandsAtOnceThenOneConnectionCarriesThemAllInOrder() throws Exception {
        PipelinedConnection pipeline = new PipelinedConnection(client());
        assertEquals("OK", join(pipeline.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg("udapi-pipe-a"))).toString());
        List<Future<Response>> replies = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            replies.add(pipeline.send(Request.cmd(Command.INCR).arg("udapi:pipe:counter")));
        }
        for (int i = 0; i < replies.size(); i++) {
            assertEquals(i + 1, join(replies.get(i)).toInteger(), "replies come back in the order sent");
        }
        List<Future<Response>> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ids.add(pipeline.send(Request.cmd(Command.CLIENT).arg("ID")));
        }
        java.util.Set<Long> distinct = new java.util.HashSet<>();
        for (Future<Response> id : ids) {
            distinct.add(join(id).toLong());
        }
        assertEquals(1, distinct.size(), "500 commands in flight at once, one connection: " + distinct);
        assertEquals(1, clientsNamed("udapi-pipe-a"));
    }

    @Test
    void sendWhenTheConnectionIsKilledThenTheNextCommandsOpenANewOne() throws Exception {
        PipelinedConnection pipeline = new PipelinedConnection(client());
        join(pipeline.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg("udapi-pipe-b")));
        assertTrue(server.command("CLIENT KILL TYPE normal SKIPME yes").startsWith(":"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Response pong = null;
        while (pong == null && System.nanoTime() < deadline) {
            try {
                pong = join(pipeline.send(Request.cmd(Command.PING)));
            } catch (Exception failedOnTheDeadConnection) {
                // a command sent before the end was noticed fails; the next one reconnects
            }
        }
        assertEquals("PONG", String.valueOf(pong));
        assertEquals(0, clientsNamed("udapi-pipe-b"), "the killed connection is gone");
        List<Future<Response>> replies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            replies.add(pipeline.send(Request.cmd(Command.PING)));
        }
        for (Future<Response> reply : replies) {
            assertEquals("PONG", join(reply).toString());
        }
    }

    @Test
    void sendWhenTheServerPausesWithMoreCommandsInFlightThanTheClientsDefaultQueueThenAllAnswered() throws Exception {
        // the options udapi builds (RedisConnections), not the client's defaults: 2,048 in flight would refuse the rest
        Redis client = Redis.createClient(vertx, RedisConnections.options(server.url(), java.util.Optional.empty(),
                List.of(), RedisConnections.MIN_POOL, java.time.Duration.ofSeconds(1)));
        PipelinedConnection pipeline = new PipelinedConnection(client);
        join(pipeline.send(Request.cmd(Command.PING)));
        // a server that does not answer for a moment: every command stays in flight until it does
        assertEquals("+OK", server.command("CLIENT PAUSE 1000 ALL"));
        List<Future<Response>> replies = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            replies.add(pipeline.send(Request.cmd(Command.INCR).arg("udapi:pipe:burst")));
        }
        for (Future<Response> reply : replies) {
            join(reply);
        }
        assertEquals("10000", join(pipeline.send(Request.cmd(Command.GET).arg("udapi:pipe:burst"))).toString());
        client.close();
    }
}
