package io.udapi.limit.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One long-lived connection that every rate-limit attempt of this instance pipelines on. The client's own
 * {@code send} borrows a pooled connection per command and returns it on the reply, so at most one command per
 * connection is in flight and the others wait for a free one; on one connection, replies come back in order and any
 * number of attempts can be in flight, which costs the server and this instance less per attempt (bench/RESULTS.md,
 * "Cluster scope").
 *
 * <p><b>Invariant.</b> {@code current} holds the future of the connection attempts use, or null when there is none.
 * Only the caller whose compare-and-set installs a new future opens a connection, so concurrent callers that find
 * none share one attempt (single flight). A failed open, and a connection that reports an error or its end, clear
 * {@code current} with a compare-and-set from exactly that future, so a late failure of an old connection never
 * clears a newer one. Commands sent on a connection that dies fail; the next command opens a new connection.
 */
public final class PipelinedConnection {

    private final Redis client;
    private final AtomicReference<Future<RedisConnection>> current = new AtomicReference<>();

    /**
     * The pipeline over one connection borrowed from {@code client}'s pool and kept: make one per client and share
     * it (every limiter of the client), since each holds a pooled connection for as long as it lives.
     */
    public PipelinedConnection(Redis client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    public Future<Response> send(Request request) {
        return connection().compose(connection -> connection.send(request));
    }

    private Future<RedisConnection> connection() {
        Future<RedisConnection> existing = current.get();
        if (existing != null) {
            return existing;
        }
        Promise<RedisConnection> opening = Promise.promise();
        Future<RedisConnection> mine = opening.future();
        if (!current.compareAndSet(null, mine)) {
            Future<RedisConnection> theirs = current.get();
            return theirs != null ? theirs : connection();
        }
        client.connect().onComplete(result -> {
            if (result.failed()) {
                current.compareAndSet(mine, null);
                opening.fail(result.cause());
                return;
            }
            RedisConnection connection = result.result();
            connection.exceptionHandler(e -> drop(mine, connection));
            connection.endHandler(v -> drop(mine, connection));
            opening.complete(connection);
        });
        return mine;
    }

    private void drop(Future<RedisConnection> dead, RedisConnection connection) {
        if (current.compareAndSet(dead, null)) {
            connection.close();
        }
    }
}
