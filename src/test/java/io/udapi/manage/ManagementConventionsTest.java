package io.udapi.manage;

import static io.udapi.manage.AdminApi.DEFINITIONS;
import static io.udapi.manage.AdminApi.TOKENS;
import static io.udapi.manage.AdminApi.asAdmin;
import static io.udapi.manage.AdminApi.newToken;
import static io.udapi.manage.AdminApi.problem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** Conventions shared by every management endpoint (docs/api.md): JSON errors, no CORS, no framework pages. */
@QuarkusTest
class ManagementConventionsTest {

    @Test
    void requestWithOriginThenNoCorsHeaders() {
        Response response = asAdmin().header("Origin", "https://evil.example").get(TOKENS + "/" + newToken());
        response.then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue())
                .header("Access-Control-Allow-Credentials", nullValue());
    }

    @Test
    void preflightRequestThenNoCorsHeaders() {
        asAdmin().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "DELETE")
                .options(TOKENS).then()
                .header("Access-Control-Allow-Origin", nullValue())
                .header("Access-Control-Allow-Methods", nullValue());
    }

    @Test
    void unknownManagementPathThen404NotFoundAsJson() {
        problem(asAdmin().get("/admin/v1/scripts"), 404, "NotFound");
    }

    @Test
    void unsupportedMethodThenJsonErrorNot500() {
        asAdmin().put(TOKENS + "/" + newToken()).then()
                .statusCode(405)
                .contentType(startsWith("application/json"))
                .body("errors[0].reason", not(nullValue()));
    }

    @Test
    void writeWithOtherMediaTypeThenBodyStillReadAsJson() {
        asAdmin().contentType("application/merge-patch+json; charset=utf-8").body("{\"name\": \"x\"}")
                .patch(DEFINITIONS + "/" + AdminApi.newDefinition()).then().statusCode(200);
    }
}
