package io.udapi.manage;

import static io.udapi.manage.AdminApi.ADMIN;
import static io.udapi.manage.AdminApi.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.udapi.http.RawHttp;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DNS rebinding through real HTTP (docs/security.md, "DNS rebinding"): a request to the management API or the
 * console whose {@code Host} names another site is refused with 421 {@code HostNotAllowed} before its credentials
 * are looked at, while addresses, localhost and the names of {@code udapi.admin.allowed-hosts} are served and the
 * trigger path is not concerned.
 */
@QuarkusTest
@TestProfile(HostAllowListTest.Listed.class)
class HostAllowListTest {

    public static class Listed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("udapi.admin.allowed-hosts", "admin.example.com,*.corp.example");
        }
    }

    @TestHTTPResource("/")
    URI root;

    private RawHttp.Answer get(String path, String host) throws Exception {
        try (RawHttp http = RawHttp.connect(root.getPort(), Duration.ofSeconds(10))) {
            String credentials = Base64.getEncoder().encodeToString((ADMIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
            http.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Basic " + credentials
                    + "\r\nConnection: close\r\n\r\n");
            return http.read();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"attacker.example", "attacker.example:8080", "corp.example", "evil-corp.example",
            "localhost.attacker.example"})
    void aRequestUnderAnotherSitesNameIsRefusedWith421BeforeItsCredentials(String host) throws Exception {
        for (String path : new String[] {"/admin/v1/me", "/admin/", "/admin/v1/tokens"}) {
            RawHttp.Answer answer = get(path, host);
            assertEquals(421, answer.status(), path + " under " + host + ": " + answer.body());
            JsonNode error = new ObjectMapper().readTree(answer.body()).at("/errors/0");
            assertEquals("HostNotAllowed", error.path("reason").asText(), answer.body());
            assertTrue(error.has("id") && error.get("id").isNull(), answer.body());
            assertTrue(error.path("message").asText().contains("udapi.admin.allowed-hosts"), answer.body());
            assertTrue(answer.header("Content-Type").startsWith("application/json"), answer.headers().toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "app.localhost", "127.0.0.1", "[::1]", "admin.example.com",
            "ADMIN.EXAMPLE.COM.", "x.corp.example:443"})
    void addressesLocalhostAndListedNamesAreServed(String host) throws Exception {
        assertEquals(200, get("/admin/v1/me", host).status(), host);
        assertEquals(200, get("/admin/", host).status(), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"attacker.example"})
    void theTriggerPathIsNotConcerned(String host) throws Exception {
        RawHttp.Answer answer = get("/api/custom/some/route", host);
        assertEquals(401, answer.status(), answer.body()); // no Bearer token: the trigger path's own refusal
    }
}
