package io.udapi.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.udapi.audit.AuditEvent;
import io.udapi.config.RedisClient;
import io.udapi.config.UdapiConfig;
import io.udapi.manage.AuditTrail;
import io.udapi.sync.Sync;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Pushed changes (docs/architecture.md, "Pushed changes"): every write this instance records is announced on a Redis
 * channel, and every announcement of another instance is applied at once by re-reading the object from the store
 * ({@link Sync#applyPushed}). Nothing depends on it: the sync loop finds every change within its interval anyway, so a
 * lost message, a server outage or a slow subscriber only falls back to polling.
 *
 * <p>One dedicated connection holds the subscription; when it fails, it is re-opened every {@code udapi.sync.interval}
 * (one log line per transition). Publishing goes through the shared pool and never waits: a failed publish is counted.
 * Received messages are applied on one thread of this class, each object at most once while it waits (a burst of
 * announcements of one object costs one read), at most {@link #MAX_PENDING} objects waiting.
 */
@ApplicationScoped
public class ChangePush {

    private static final Logger LOG = Logger.getLogger(ChangePush.class);
    static final int MAX_PENDING = 10_000;

    /** What readiness shows: {@code off}, or {@code up} / {@code down} for the subscription. */
    public enum State { off, up, down }

    private final boolean enabled;
    private final RedisClient redis;
    private final AuditTrail audit;
    private final Sync sync;
    private final Vertx vertx;
    private final String channel;
    private final Duration retry;
    private final String origin = randomOrigin();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();   // type and id of the objects waiting
    private final ExecutorService applier;
    private final Map<String, Counter> counts = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    private volatile State state = State.off;
    private volatile boolean closed;
    private RedisConnection connection;   // guarded by this; the live subscription, or null
    private long generation;              // guarded by this; counts connection attempts, so one failure is handled once

    ChangePush(UdapiConfig config, RedisClient redis, AuditTrail audit, Sync sync, Vertx vertx, MeterRegistry meters) {
        UdapiConfig.PushMode mode = config.sync().push();
        this.enabled = mode == UdapiConfig.PushMode.REDIS
                || (mode == UdapiConfig.PushMode.AUTO && config.limits().scope() == UdapiConfig.LimitScope.CLUSTER);
        this.redis = redis;
        this.audit = audit;
        this.sync = sync;
        this.vertx = vertx;
        this.channel = config.sync().pushChannel();
        this.retry = config.sync().interval();
        this.meters = meters;
        this.applier = enabled ? new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(MAX_PENDING),
                r -> {
                    Thread t = new Thread(r, "udapi-pushed-changes");
                    t.setDaemon(true);
                    return t;
                }) : null;
        if (enabled) {
            for (String result : new String[] {"published", "publish_failed", "applied", "left_to_feed", "ignored"}) {
                count(result, 0);
            }
            Gauge.builder("udapi.sync.push.subscribed", this, p -> p.state == State.up ? 1 : 0)
                    .description("1 while this instance receives pushed changes, else 0").register(meters);
        }
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        state = State.down;
        audit.stream().subscribe().with(this::publish);
        LOG.infof("pushed changes on %s, channel %s", redis.address(), channel);
        subscribe();
    }

    public State state() {
        return state;
    }

    // ---- publishing

    private void publish(AuditEvent event) {
        ChangeMessage message;
        try {
            message = new ChangeMessage(origin, event.objectType(), event.objectId());
        } catch (IllegalArgumentException e) {
            count("publish_failed", 1);   // an id the message form cannot carry: the other instances poll it
            return;
        }
        redis.get().send(Request.cmd(Command.PUBLISH).arg(channel).arg(message.text()))
                .onSuccess(r -> count("published", 1))
                .onFailure(e -> count("publish_failed", 1));
    }

    // ---- receiving

    private void subscribe() {
        long attempt;
        synchronized (this) {
            if (closed) {
                return;
            }
            attempt = ++generation;
        }
        redis.get().connect().onSuccess(conn -> {
            synchronized (this) {
                if (closed || attempt != generation) {
                    conn.close();
                    return;
                }
                connection = conn;
            }
            conn.handler(this::received);
            conn.exceptionHandler(e -> lost(attempt, e));
            conn.endHandler(v -> lost(attempt, null));
            conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel))
                    .onSuccess(r -> subscribed(attempt))
                    .onFailure(e -> lost(attempt, e));
        }).onFailure(e -> lost(attempt, e));
    }

    private void subscribed(long attempt) {
        synchronized (this) {
            if (attempt != generation || state == State.up) {
                return;
            }
            state = State.up;
        }
        LOG.infof("pushed changes: subscribed to %s on %s", channel, redis.address());
    }

    /** One failure of attempt {@code attempt}: marks the subscription down and tries again in one interval. */
    private void lost(long attempt, Throwable cause) {
        RedisConnection dead;
        State before;
        synchronized (this) {
            if (attempt != generation || closed) {
                return;
            }
            generation++;                       // later callbacks of this attempt are ignored
            dead = connection;
            connection = null;
            before = state;
            state = State.down;
        }
        if (dead != null) {
            dead.close();
        }
        if (before == State.up) {
            LOG.warnf("pushed changes: the subscription on %s failed (%s); changes arrive by the sync loop until it is back",
                    redis.address(), cause == null ? "connection closed" : cause.getMessage());
        }
        vertx.setTimer(Math.max(1, retry.toMillis()), id -> subscribe());
    }

    /** A reply on the subscription: a RESP3 push or a RESP2 array, {@code message <channel> <text>}. */
    private void received(Response reply) {
        if (reply == null || reply.size() != 3 || !"message".equals(String.valueOf(reply.get(0)))
                || !channel.equals(String.valueOf(reply.get(1)))) {
            return;   // subscribe confirmations and anything else
        }
        Response body = reply.get(2);
        var message = ChangeMessage.parse(body == null ? null : body.toString());
        if (message.isEmpty()) {
            count("ignored", 1);
            return;
        }
        if (message.get().origin().equals(origin)) {
            return;   // this instance applied its own write already
        }
        ChangeMessage change = message.get();
        String object = change.type() + " " + change.objectId();
        if (!pending.add(object)) {
            return;   // already waiting: one read serves both
        }
        try {
            applier.execute(() -> {
                pending.remove(object);
                Sync.Pushed outcome = sync.applyPushed(change.type(), change.objectId());
                count(outcome == Sync.Pushed.APPLIED ? "applied" : "left_to_feed", 1);
            });
        } catch (RejectedExecutionException e) {
            pending.remove(object);
            count("left_to_feed", 1);
        }
    }

    private static String randomOrigin() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private void count(String result, int n) {
        counts.computeIfAbsent(result, r -> Counter.builder("udapi.sync.pushes")
                .description("Pushed changes by result: published, publish_failed, applied, left_to_feed, ignored")
                .tag("result", r).register(meters)).increment(n);
    }

    @PreDestroy
    void close() {
        RedisConnection open;
        synchronized (this) {
            closed = true;
            open = connection;
            connection = null;
        }
        if (open != null) {
            open.close();
        }
        if (applier != null) {
            applier.shutdownNow();
        }
    }
}
