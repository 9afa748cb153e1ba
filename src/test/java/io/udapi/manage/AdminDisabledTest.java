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

/** {@code udapi.admin.enabled=false} hides the whole management API (SPEC 3), even from valid admins. */
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

    @Test
    void webConsoleWhenDisabledThen404() {
        problem(asAdmin().get("/admin/"), 404, "NotFound");
        problem(asAdmin().get("/admin/js/app.js"), 404, "NotFound");
    }
}
