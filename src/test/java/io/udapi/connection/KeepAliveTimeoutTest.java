package io.udapi.connection;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.udapi.http.RawHttp;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link KeepAliveTimeout} forgets a connection as soon as it closes, whoever closes it: a client that makes one
 * request per connection (curl does) leaves nothing behind for the timeout's 75 s, so a flood of them cannot pile up
 * entries and timers. Each connection is told apart by its port, so connections of other tests do not matter.
 * (The closing itself, against the packaged service: {@code KeepAliveTimeoutIT}.)
 */
@QuarkusTest
class KeepAliveTimeoutTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    KeepAliveTimeout keepAlive;

    @Test
    void aConnectionTheClientClosesIsForgottenAtOnceNotAfterTheTimeout() throws Exception {
        List<RawHttp> connections = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                RawHttp connection = RawHttp.connect(root.getPort(), Duration.ofSeconds(10));
                connections.add(connection);
                ports.add(connection.localPort());
                connection.send("GET /api/custom/x HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(401, connection.read().status());
            }
            for (int port : ports) {
                assertTrue(keepAlive.watches(port), "the open connection from port " + port + " is watched");
            }
        } finally {
            for (RawHttp connection : connections) {
                connection.close();
            }
        }
        // well within the 75 s of the timeout: the close is seen asynchronously, nothing waits for the timer
        await().atMost(Duration.ofSeconds(10)).until(() -> ports.stream().noneMatch(keepAlive::watches));
    }

    @Test
    void aRequestTheServerAnswersWithConnectionCloseLeavesNothingBehind() throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            try (RawHttp connection = RawHttp.connect(root.getPort(), Duration.ofSeconds(10))) {
                ports.add(connection.localPort());
                connection.send("GET /api/custom/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertEquals(401, connection.read().status());
                assertTrue(connection.closedByPeer(), "udapi closes the connection after the answer");
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ports.stream().noneMatch(keepAlive::watches));
    }
}
