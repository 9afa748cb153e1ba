package io.udapi.store.es;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A tiny HTTP proxy between a store client and Elasticsearch, for tests: it records every exchange
 * (method, path and the size of the answer's body) and can answer a request itself ({@link #answer}) or
 * rewrite an answer ({@link #rewrite}), e.g. to make one document refuse reads or an event invisible.
 */
public final class CountingProxy implements AutoCloseable {

    /** One exchange: the request line and the answer's status and body size in bytes. */
    public record Exchange(String method, String pathAndQuery, String requestBody, int status, int answerBytes) {
    }

    /** A canned answer. */
    public record Canned(int status, String body) {
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "transfer-encoding",
            "keep-alive", "host", "upgrade", "expect");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "counting-proxy");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient upstream = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final String target;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private volatile Function<Exchange, Optional<Canned>> answer = e -> Optional.empty();
    private volatile UnaryOperator<String> rewrite = UnaryOperator.identity();

    /** @param target {@code host:port} of Elasticsearch */
    public CountingProxy(String target) throws IOException {
        this.target = "http://" + target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public String hostAndPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers instead of Elasticsearch when the function returns a value (the exchange's status is 0 then). */
    public void answer(Function<Exchange, Optional<Canned>> answer) {
        this.answer = answer;
    }

    /** Rewrites every body Elasticsearch answers before it is passed on (and counted). */
    public void rewrite(UnaryOperator<String> rewrite) {
        this.rewrite = rewrite;
    }

    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    public void reset() {
        exchanges.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            byte[] requestBody;
            try (InputStream in = exchange.getRequestBody()) {
                requestBody = in.readAllBytes();
            }
            Exchange request = new Exchange(method, pathAndQuery, new String(requestBody,
                    java.nio.charset.StandardCharsets.UTF_8), 0, 0);
            Optional<Canned> canned = answer.apply(request);
            int status;
            byte[] body;
            if (canned.isPresent()) {
                status = canned.get().status();
                body = canned.get().body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("X-elastic-product", "Elasticsearch");
            } else {
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + pathAndQuery))
                        .timeout(Duration.ofSeconds(60))
                        .method(method, requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(requestBody));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                        values.forEach(v -> forward.header(name, v));
                    }
                });
                HttpResponse<byte[]> response;
                try {
                    response = upstream.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                status = response.statusCode();
                body = rewrite.apply(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                response.headers().map().forEach((name, values) -> {
                    if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                        values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                    }
                });
            }
            exchanges.add(new Exchange(method, pathAndQuery, request.requestBody(), status, body.length));
            boolean noBody = method.equals("HEAD") || body.length == 0;
            exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
