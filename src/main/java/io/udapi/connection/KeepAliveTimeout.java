package io.udapi.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.udapi.config.UdapiConfig;
import io.udapi.limit.NanoClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Closes a connection of the main port once it has had no request in flight for
 * {@code udapi.limits.keep-alive-timeout} (docs/security.md, "Connections"). Vert.x has one idle timeout per
 * connection, which also runs while a request waits silently for its script, so it must stay long (Quarkus's 30
 * minutes); this timeout runs only between requests.
 *
 * <p>Each watched connection has one {@link Activity} and one timer, set when its first request arrives and set
 * again each time it fires, for as long as {@link Idleness} says: a request costs two atomic updates and one clock
 * reading, never a timer. The entry and the timer go when the connection closes, whoever closes it.
 *
 * <p>The invariant between the threads: a request begins on the connection's event loop, where the timer also
 * fires, so a timer never sees a request that began after it looked. A response may end on another thread: it
 * writes {@code idleSince} first and then decrements {@code inFlight}, and the timer reads {@code inFlight} first,
 * so a timer that sees no request in flight also sees the time the last one ended (the decrement publishes the
 * write before it). Two HTTP/2 streams that end at once may leave the earlier of their two times; the connection
 * is then closed that much (microseconds) early.
 */
@ApplicationScoped
public class KeepAliveTimeout {

    private static final Logger LOG = Logger.getLogger(KeepAliveTimeout.class);

    /** What one watched connection is doing; see the class comment for which thread writes what. */
    private static final class Activity {
        final AtomicInteger inFlight = new AtomicInteger();
        volatile long idleSince;
        /** The connection's current timer; read and written on its event loop only (and by the close, to cancel). */
        volatile long timer;

        void ended(long now) {
            idleSince = now;
            inFlight.decrementAndGet();
        }
    }

    private final long timeoutNanos;
    private final NanoClock clock;
    /** {@code udapi_connections_idle_closed_total}: a steady rise is a client pool that keeps connections it does not use. */
    private final Counter idleClosed;
    private final Map<HttpConnection, Activity> watched = new ConcurrentHashMap<>();

    KeepAliveTimeout(UdapiConfig config, NanoClock clock, MeterRegistry meters) {
        this.timeoutNanos = timeoutNanos(config.limits().keepAliveTimeout());
        this.clock = clock;
        this.idleClosed = meters.counter("udapi.connections.idle.closed");
    }

    /** The configured timeout in nanoseconds, 0 for off; a negative one stops the start with this message. */
    static long timeoutNanos(java.time.Duration configured) {
        if (configured.isNegative()) {
            throw new IllegalArgumentException("udapi.limits.keep-alive-timeout must be 0s (off) or positive, got "
                    + configured);
        }
        return configured.toNanos();
    }

    /** First on the main router, before the trigger route and the REST layer; nothing when the timeout is 0. */
    void mount(@Observes Router router) {
        if (timeoutNanos > 0) {
            router.route().order(Integer.MIN_VALUE).handler(this::watch);
        }
    }

    private void watch(RoutingContext ctx) {
        HttpConnection connection = ctx.request().connection();
        if (connection instanceof ConnectionBase base) {
            Activity activity = watched.get(connection);
            if (activity == null) {
                activity = start(ctx.vertx(), connection, base);
            }
            activity.inFlight.incrementAndGet();
            Activity counted = activity;
            ctx.addEndHandler(done -> counted.ended(clock.nanoTime()));
        }
        ctx.next();
    }

    /** The connection's first request, on its event loop: its entry, its timer, and their removal at its close. */
    private Activity start(Vertx vertx, HttpConnection connection, ConnectionBase base) {
        Activity activity = new Activity();
        watched.put(connection, activity);
        schedule(vertx, connection, activity, timeoutNanos);
        base.closeFuture().onComplete(closed -> {
            watched.remove(connection);
            vertx.cancelTimer(activity.timer);
        });
        return activity;
    }

    private void schedule(Vertx vertx, HttpConnection connection, Activity activity, long delayNanos) {
        // rounded up, so that the timer never fires before the connection has been idle for the whole timeout
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos + 999_999));
        activity.timer = vertx.setTimer(millis, id -> check(vertx, connection, activity));
    }

    private void check(Vertx vertx, HttpConnection connection, Activity activity) {
        int inFlight = activity.inFlight.get();
        Idleness next = Idleness.of(inFlight, activity.idleSince, clock.nanoTime(), timeoutNanos);
        if (next instanceof Idleness.CheckAgain again) {
            schedule(vertx, connection, activity, again.nanos());
        } else {
            LOG.debugf("closing a connection from %s idle for the keep-alive timeout", connection.remoteAddress());
            watched.remove(connection);
            idleClosed.increment();
            connection.close();
        }
    }

    /** Whether a connection from this remote port (on the loopback) is watched now; for the tests. */
    boolean watches(int remotePort) {
        return watched.keySet().stream().anyMatch(c -> c.remoteAddress().port() == remotePort);
    }
}
