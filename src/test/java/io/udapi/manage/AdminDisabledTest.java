package io.udapi.manage;

import static io.udapi.manage.AdminApi.ME;
import static io.udapi.manage.AdminApi.TOKENS;
import static io.udapi.manage.AdminApi.asAdmin;
import static io.udapi.manage.AdminApi.json;
import static io.udapi.manage.AdminApi.problem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.udapi.http.RawHttp;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code udapi.admin.enabled=false} hides the whole management API (docs/api.md), even from valid admins. */
@QuarkusTest
@TestProfile(AdminDisabledTest.Disabled.class)
class AdminDisabledTest {

    public static class Disabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("udapi.admin.enabled", "false");
        }
    }

    @Test
    void managementApiWhenDisabledThen404ForEveryEndpoint() {
        problem(asAdmin().get(TOKENS), 404, "NotFound");
        problem(asAdmin().get(ME), 404, "NotFound");
        problem(asAdmin().body(json("name", "hidden")).post(TOKENS), 404, "NotFound");
        problem(asAdmin().get("/admin/v1/events/stream"), 404, "NotFound");
    }

    @TestHTTPResource("/")
    URL root;

    /** The disabled API is gone whatever the spelling: the gate decides on the normalised path (docs/security.md). */
    @ParameterizedTest
    @ValueSource(strings = {"/%61dmin/v1/tokens", "/x/../admin/v1/tokens", "/./admin/v1/tokens", "//admin/v1/tokens",
            "/admin//v1/tokens", "/admin/v1/%74okens", "/%2e/admin/v1/me", "/api/custom/../../admin/v1/me",
            "/%61dmin/", "//admin/", "/x/../admin/js/app.js", "/%61dmin", "/admin;x/v1/tokens", "/admin/v1;x/tokens",
            "/admin;/v1/me"})
    void anySpellingOfTheManagementPathsWhenDisabledThen404(String path) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((AdminApi.ADMIN + ":" + AdminApi.ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        RawHttp.Answer answer = RawHttp.exchange(root.getPort(), "GET " + path + " HTTP/1.1\r\nAuthorization: Basic "
                + credentials, null);
        assertEquals(404, answer.status(), path);
        assertEquals("NotFound", new ObjectMapper().readTree(answer.body()).at("/errors/0/reason").asText(), path);
    }

    @Test
    void webConsoleWhenDisabledThen404() {
        problem(asAdmin().get("/admin/"), 404, "NotFound");
        problem(asAdmin().get("/admin/js/app.js"), 404, "NotFound");
    }
}
