package io.udapi.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.udapi.audit.AuditEvent;
import io.udapi.config.RedisClient;
import io.udapi.config.UdapiConfig;
import io.udapi.limit.redis.RedisConnections;
import io.udapi.manage.AuditTrail;
import io.udapi.sync.Sync;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
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
    /**
     * How often the subscription is pinged: more often than {@link RedisConnections#READ_IDLE_TIMEOUT}, so a quiet
     * channel keeps its connection, and a connection that no longer answers is closed by that timeout and re-opened.
     */
    static final Duration PING = RedisConnections.READ_IDLE_TIMEOUT.dividedBy(3);

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
    private boolean downReported;         // guarded by this; the current outage has its log line

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
        try {
            announce(event);
        } catch (RuntimeException e) {
            count("publish_failed", 1);   // a failure must not end the subscription to the audit stream
        }
    }

    private void announce(AuditEvent event) {
        if (closed) {
            return;
        }
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
            conn.handler(reply -> received(attempt, reply));
            conn.exceptionHandler(e -> lost(attempt, e));
            conn.endHandler(v -> lost(attempt, null));
            // the client completes this send once written: the server's confirmation (or refusal, e.g. NOPERM for
            // an ACL user without the channel) arrives in the handler, and only the confirmation means subscribed
            conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).onFailure(e -> lost(attempt, e));
        }).onFailure(e -> lost(attempt, e));
    }

    private void subscribed(long attempt) {
        synchronized (this) {
            if (attempt != generation || state == State.up) {
                return;
            }
            state = State.up;
            downReported = false;
        }
        LOG.infof("pushed changes: subscribed to %s on %s", channel, redis.address());
        vertx.setTimer(PING.toMillis(), id -> ping(attempt));
    }

    /** Keeps the subscription of {@code attempt} heard while it lives (see {@link #PING}). */
    private void ping(long attempt) {
        RedisConnection live;
        synchronized (this) {
            if (attempt != generation || closed || connection == null) {
                return;
            }
            live = connection;
        }
        live.send(Request.cmd(Command.PING)).onFailure(e -> lost(attempt, e));
        vertx.setTimer(PING.toMillis(), id -> ping(attempt));
    }

    /** One failure of attempt {@code attempt}: marks the subscription down and tries again in one interval. */
    private void lost(long attempt, Throwable cause) {
        RedisConnection dead;
        State before;
        boolean report;
        synchronized (this) {
            if (attempt != generation || closed) {
                return;
            }
            generation++;                       // later callbacks of this attempt are ignored
            dead = connection;
            connection = null;
            before = state;
            state = State.down;
            report = !downReported;   // once per outage, also when the first attempt after start fails
            downReported = true;
        }
        if (dead != null) {
            dead.close();
        }
        if (report) {
            LOG.warnf("pushed changes: the subscription on %s %s (%s); changes arrive by the sync loop until it is back",
                    redis.address(), before == State.up ? "failed" : "cannot be opened",
                    cause == null ? "connection closed" : cause.getMessage());
        }
        vertx.setTimer(Math.max(1, retry.toMillis()), id -> subscribe());
    }

    /**
     * A reply on the subscription: a RESP3 push or a RESP2 array, {@code subscribe <channel> <n>} once, then
     * {@code message <channel> <text>} per announcement; an error reply (the subscription refused) ends the attempt.
     */
    private void received(long attempt, Response reply) {
        if (reply == null) {
            return;
        }
        if (reply.type() == ResponseType.ERROR) {
            lost(attempt, new IllegalStateException("SUBSCRIBE refused: " + reply));
            return;
        }
        if ((reply.type() != ResponseType.PUSH && reply.type() != ResponseType.MULTI) || reply.size() != 3
                || !channel.equals(String.valueOf(reply.get(1)))) {
            return;
        }
        String kind = String.valueOf(reply.get(0));
        if ("subscribe".equals(kind)) {
            subscribed(attempt);
            return;
        }
        if (!"message".equals(kind)) {
            return;
        }
        Response body = reply.get(2);
        if (body == null || body.type() != ResponseType.BULK || body.toBuffer().length() > ChangeMessage.MAX_TEXT) {
            count("ignored", 1);   // judged by its length before it is decoded: a message may be 512 MB
            return;
        }
        var message = ChangeMessage.parse(body.toString());
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

    /** Before any bean is destroyed (the Redis client among them), so the closing connection is not a failure. */
    void stop(@Observes ShutdownEvent event) {
        close();
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
