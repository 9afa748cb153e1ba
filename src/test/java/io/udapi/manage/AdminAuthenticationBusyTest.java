package io.udapi.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A flood of wrong admin credentials meets a bounded Argon2 gate (docs/api.md): with one verification at a time and
 * no queue, concurrent distinct wrong passwords get 401 or 503 {@code AuthenticationBusy}, never anything else,
 * and the admin's cached sign-in keeps working throughout.
 */
@QuarkusTest
@TestProfile(AdminAuthenticationBusyTest.OneSlotNoQueue.class)
class AdminAuthenticationBusyTest {

    public static class OneSlotNoQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a hundred attempts per name: this flood is of one name, and the throttle of names is SignInThrottleHttpTest's
            return Map.of("udapi.admin.max-verifications", "1", "udapi.admin.verification-queue", "0",
                    "udapi.admin.sign-in-attempts", "100");
        }
    }

    @TestHTTPResource("/admin/v1/me")
    URI me;

    @Test
    void concurrentDistinctWrongPasswordsThen401Or503AuthenticationBusyAndTheCachedAdminUnaffected() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        assertEquals(200, client.send(request(AdminApi.ADMIN, AdminApi.ADMIN_PASSWORD), HttpResponse.BodyHandlers.ofString())
                .statusCode()); // the admin's sign-in is cached from here on
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            flood.add(client.sendAsync(request(AdminApi.ADMIN, "wrong-" + UUID.randomUUID()), HttpResponse.BodyHandlers.ofString()));
        }
        int busy = 0;
        for (CompletableFuture<HttpResponse<String>> pending : flood) {
            HttpResponse<String> response = pending.get();
            JsonNode error = new ObjectMapper().readTree(response.body()).at("/errors/0");
            if (response.statusCode() == 503) {
                busy++;
                assertEquals("AuthenticationBusy", error.path("reason").asText());
                assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
                assertTrue(error.has("id") && error.get("id").isNull());
            } else {
                assertEquals(401, response.statusCode(), response.body());
                assertEquals("Unauthorized", error.path("reason").asText());
            }
            assertEquals(200, client.send(request(AdminApi.ADMIN, AdminApi.ADMIN_PASSWORD),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "the cached admin during the flood");
        }
        assertTrue(busy > 0, "48 concurrent Argon2 verifications through one slot and no queue: none was refused");
    }

    private HttpRequest request(String user, String password) {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(me).timeout(Duration.ofSeconds(30)).header("Authorization", "Basic " + credentials)
                .GET().build();
    }
}
