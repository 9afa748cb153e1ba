package io.udapi.limit.redis;

import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.RedisOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The client options of the rate-limit server, from the settings {@code udapi.limits.redis.*}; pure functions. */
public final class RedisConnections {

    /** Fewest connections: two kept (pipeline, subscription) and one to borrow. */
    public static final int MIN_POOL = 3;
    /**
     * Longest silence on a connection before it is replaced. The pipeline is silent only when idle (then it reconnects
     * on its next command); the subscription sends a PING every {@code PUSH_PING} to stay heard.
     */
    public static final Duration READ_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Commands one connection may have in flight (the pipeline of rate-limit attempts). */
    public static final int MAX_IN_FLIGHT = 65_536;
    /** Shortest connect timeout, whatever the retry interval (which may be 0). */
    static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(100);

    private RedisConnections() {
    }

    /**
     * @param url {@code redis://host:port} or {@code rediss://host:port} (TLS, the host name verified)
     * @param trustPem with TLS: PEM files of the authorities to trust instead of the JVM's; empty: the JVM's
     * @param maxPoolSize connections, 3..256: the rate limits' pipeline and the pushed changes' subscription each keep
     *     one for good, and publishing and the start-up check borrow one
     * @param connectTimeout how long a new connection may take (capped to 100 ms..10 s)
     * @throws IllegalArgumentException naming the setting, never repeating the URL (it may carry a password)
     */
    public static RedisOptions options(String url, Optional<String> password, List<Path> trustPem, int maxPoolSize,
                                       Duration connectTimeout) {
        address(url);
        if (maxPoolSize < MIN_POOL || maxPoolSize > 256) {
            throw new IllegalArgumentException("udapi.limits.redis.max-pool-size is " + maxPoolSize + "; it must be "
                    + MIN_POOL + "..256 (two connections are kept: one for the rate limits, one for pushed changes)");
        }
        NetClientOptions net = new NetClientOptions()
                .setConnectTimeout((int) Math.max(MIN_CONNECT_TIMEOUT.toMillis(), Math.min(10_000, connectTimeout.toMillis())))
                .setTcpNoDelay(true)
                // a connection that hears nothing for this long is closed and replaced: a half-dead one (a peer gone
                // without a FIN) would otherwise hold every pipelined command until TCP gives up, about 15 minutes
                .setReadIdleTimeout((int) READ_IDLE_TIMEOUT.toSeconds()).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)
                .setTcpKeepAlive(true);
        if (url.startsWith("rediss:")) {
            net.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
            if (!trustPem.isEmpty()) {
                PemTrustOptions pem = new PemTrustOptions();
                trustPem.forEach(file -> pem.addCertPath(file.toString()));
                net.setTrustOptions(pem);
            }
        }
        RedisOptions options = new RedisOptions().setConnectionString(url).setMaxPoolSize(maxPoolSize)
                .setMaxPoolWaiting(maxPoolSize * 32).setNetClientOptions(net)
                // commands in flight on one connection: every rate-limit attempt of the instance is pipelined on one
                // (the client's default, 2,048, refused a burst beyond it as if the server had failed); the cluster
                // timeout bounds how long any of them waits
                .setMaxWaitingHandlers(MAX_IN_FLIGHT);
        password.ifPresent(options::setPassword);
        return options;
    }

    /** Scheme, host and port of the URL, without any user information: what the log may show. */
    public static String address(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))) {
            // the URL itself is not repeated: it may carry a password
            throw new IllegalArgumentException("udapi.limits.redis.url must be redis://host:port or rediss://host:port");
        }
        return uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    }
}
