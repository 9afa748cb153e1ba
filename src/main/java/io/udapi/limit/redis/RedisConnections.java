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

    private RedisConnections() {
    }

    /**
     * @param url {@code redis://host:port} or {@code rediss://host:port} (TLS, the host name verified)
     * @param trustPem with TLS: PEM files of the authorities to trust instead of the JVM's; empty: the JVM's
     * @param maxPoolSize connections, 1..256
     * @param connectTimeout how long a new connection may take (capped to 1 ms..10 s)
     * @throws IllegalArgumentException naming the setting, never repeating the URL (it may carry a password)
     */
    public static RedisOptions options(String url, Optional<String> password, List<Path> trustPem, int maxPoolSize,
                                       Duration connectTimeout) {
        address(url);
        if (maxPoolSize < 1 || maxPoolSize > 256) {
            throw new IllegalArgumentException("udapi.limits.redis.max-pool-size is " + maxPoolSize + "; it must be 1..256");
        }
        NetClientOptions net = new NetClientOptions()
                .setConnectTimeout((int) Math.max(1, Math.min(10_000, connectTimeout.toMillis())))
                .setTcpNoDelay(true);
        if (url.startsWith("rediss:")) {
            net.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
            if (!trustPem.isEmpty()) {
                PemTrustOptions pem = new PemTrustOptions();
                trustPem.forEach(file -> pem.addCertPath(file.toString()));
                net.setTrustOptions(pem);
            }
        }
        RedisOptions options = new RedisOptions().setConnectionString(url).setMaxPoolSize(maxPoolSize)
                .setMaxPoolWaiting(maxPoolSize * 32).setNetClientOptions(net);
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
