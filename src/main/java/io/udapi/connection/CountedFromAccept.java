package io.udapi.connection;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Serves the plain-text main port as HTTP/1.1 only, so that {@code quarkus.http.limits.max-connections} counts every
 * connection from the moment it is accepted (docs/security.md, "Connections"). With HTTP/2 over clear text (h2c)
 * enabled, Vert.x first waits for enough bytes to tell an HTTP/2 preface from an HTTP/1 request and only then hands
 * the connection to the handler that counts it, so connections that never complete a request head were held
 * without limit. HTTP/2 over TLS (ALPN) is unaffected; udapi's clients (curl, agents' HTTP clients, proxies in
 * front) speak HTTP/1.1 on a plain port.
 */
@ApplicationScoped
public class CountedFromAccept implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
