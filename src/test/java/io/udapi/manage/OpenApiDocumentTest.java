package io.udapi.manage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** The OpenAPI document of the management API is served on the management port at /q/openapi. */
@QuarkusTest
class OpenApiDocumentTest {

    /** Relative to the management root ({@code /q}). */
    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @Test
    void openApiDocumentListsEveryManagementResource() {
        given().queryParam("format", "json").get(openapi).then().statusCode(200)
                .body(containsString("/admin/v1/tokens"))
                .body(containsString("/admin/v1/tokens/{id}/rotate"))
                .body(containsString("/admin/v1/tokens/revoke"))
                .body(containsString("/admin/v1/definitions/{id}"))
                .body(containsString("/admin/v1/events/stream"))
                .body(containsString("/admin/v1/users/{name}"))
                .body(containsString("/admin/v1/me"));
    }
}
