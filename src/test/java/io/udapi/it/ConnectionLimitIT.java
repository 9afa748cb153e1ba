package io.udapi.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.udapi.http.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/security.md, "Connections": a client that keeps connections open after a request holds at most
 * {@code quarkus.http.limits.max-connections} of them (10,000 by default; 40 here). Past the cap the main port
 * closes new connections at once and counts them; the management port, where the probes go, stays answered, and a
 * connection is accepted again as soon as one of the held ones closes.
 */
class ConnectionLimitIT {
    private static final int CAP = 40;

    @TempDir
    Path work;

    @Test
    void connectionsPastTheCapAreClosedAtOnceWhileProbesStayAnsweredAndAClosedOneFreesASlot() throws Exception {
        ServiceProcess service = new ServiceProcess(work.resolve("data"), work.resolve("udapi.log"),
                ServiceProcess.config("quarkus.http.limits.max-connections", Integer.toString(CAP),
                        // long enough that the held connections stay for the whole test on a slow machine
                        "udapi.limits.keep-alive-timeout", "10m")).start();
        List<Socket> held = new ArrayList<>();
        try {
            URI main = URI.create(service.baseUrl());
            for (int i = 0; i < CAP; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(main.getHost(), main.getPort()), 5_000);
                // one request, answered, then the connection stays open (keep-alive) and idle; Vert.x counts a
                // connection once its first request head is complete (docs/security.md says what that leaves)
                s.getOutputStream().write("GET /api/custom/x HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                s.setSoTimeout(10_000);
                assertEquals('H', s.getInputStream().read(), "connection " + i + " is answered");
                held.add(s);
            }
            // the cap is counted as connections arrive: wait until the server holds all of them
            await().atMost(Duration.ofSeconds(20)).until(() -> metric(service, "vertx_http_connections_current") >= CAP);

            assertEquals(-1, firstByteOfAnAnswer(main), "a connection past the cap is closed without an answer");
            assertTrue(metric(service, "vertx_http_connections_rejected_total") >= 1, "the refusal is counted");
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.managementPort() + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), "the readiness probe on the management port: " + ready.body());

            held.remove(0).close();
            // the server sees the close asynchronously: a new connection is answered once it has
            await().atMost(Duration.ofSeconds(20)).until(() -> firstByteOfAnAnswer(main) == 'H');
        } finally {
            for (Socket s : held) {
                s.close();
            }
            service.close();
        }
    }

    @Test
    void theCapIsTenThousandConnectionsByDefault() throws Exception {
        ServiceProcess service = new ServiceProcess(work.resolve("data"), work.resolve("udapi.log"), ServiceProcess.config()).start();
        try {
            assertEquals(10_000, metric(service, "vertx_http_connections_max"));
        } finally {
            service.close();
        }
    }

    /**
     * The same flood against the keep-alive timeout (5 s here, 75 s by default): the held connections are closed by
     * udapi, not by the client, and the cap serves new clients again, without anybody releasing anything.
     */
    @Test
    void idleConnectionsHoldingTheCapAreClosedAfterTheKeepAliveTimeoutAndNewClientsAreAnsweredAgain() throws Exception {
        int cap = 10;
        // 5 s: the cap must still be held when the refusal is checked, on a slow machine too
        ServiceProcess service = withCap(cap, "udapi.limits.keep-alive-timeout", "5s");
        URI main = URI.create(service.baseUrl());
        List<RawHttp> held = new ArrayList<>();
        try {
            holdTheWholeCap(held, service, cap, "GET /api/custom/x HTTP/1.1\r\nHost: x\r\n\r\n", true);

            for (int i = 0; i < cap; i++) {
                assertTrue(held.get(i).closedByPeer(), "held connection " + i + " was closed by udapi within 20 s");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> firstByteOfAnAnswer(main) == 'H');
        } finally {
            release(held, service);
        }
    }

    /**
     * A connection counts against the cap from the moment it is accepted, not once its first request head is
     * complete: connections that only ever send part of a head (slowloris) hold no more than the cap either.
     */
    @Test
    void connectionsThatSendOnlyPartOfARequestHeadCountAgainstTheCap() throws Exception {
        int cap = 5;
        ServiceProcess service = withCap(cap);
        URI main = URI.create(service.baseUrl());
        List<RawHttp> held = new ArrayList<>();
        try {
            holdTheWholeCap(held, service, cap, "GET /api/cus", false);

            held.remove(0).close();
            await().atMost(Duration.ofSeconds(20)).until(() -> firstByteOfAnAnswer(main) == 'H');
        } finally {
            release(held, service);
        }
    }

    private ServiceProcess withCap(int cap, String... more) throws Exception {
        java.util.Map<String, String> config = ServiceProcess.config(more);
        config.put("quarkus.http.limits.max-connections", Integer.toString(cap));
        return new ServiceProcess(work.resolve("data"), work.resolve("udapi.log"), config).start();
    }

    /**
     * Opens {@code cap} connections into {@code held}, each sending {@code text} (with {@code answered}, each gets its
     * 401), waits until the service counts them all, and checks that a new connection is then refused.
     */
    private static void holdTheWholeCap(List<RawHttp> held, ServiceProcess service, int cap, String text, boolean answered)
            throws Exception {
        URI main = URI.create(service.baseUrl());
        for (int i = 0; i < cap; i++) {
            RawHttp connection = RawHttp.connect(main.getPort(), Duration.ofSeconds(20));
            held.add(connection);
            connection.send(text);
            if (answered) {
                assertEquals(401, connection.read().status(), "connection " + i + " is answered");
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> metric(service, "vertx_http_connections_current") >= cap);
        assertEquals(-1, firstByteOfAnAnswer(main), "with the cap held (" + text.strip() + "), a new connection is refused");
    }

    private static void release(List<RawHttp> held, ServiceProcess service) throws Exception {
        for (RawHttp connection : held) {
            connection.close();
        }
        service.close();
    }

    /** Sends a whole request on a new connection; the first byte of the answer, or -1 when it was closed unanswered. */
    private static int firstByteOfAnAnswer(URI main) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(main.getHost(), main.getPort()), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /api/custom/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return in.read();
        } catch (java.net.SocketException reset) {
            return -1; // closed by the server before or while we wrote: unanswered too
        }
    }

    /** The metric's value on the service's Prometheus page; fails when it is not exported. */
    private static double metric(ServiceProcess service, String name) throws Exception {
        return io.udapi.trigger.TriggerTestSupport.metric(
                URI.create("http://127.0.0.1:" + service.managementPort() + "/q/metrics").toURL(), name);
    }
}
