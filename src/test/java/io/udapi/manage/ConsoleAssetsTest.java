package io.udapi.manage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The web console's files are served from the jar at /admin/ with their security headers (no login needed). */
@QuarkusTest
class ConsoleAssetsTest {

    @Test
    void consolePageServedWithCspAndNoFraming() {
        given().get("/admin/").then().statusCode(200)
                .contentType(containsString("text/html"))
                .header("Content-Security-Policy", equalTo(AdminGate.CONSOLE_CSP))
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .body(containsString("<script type=\"module\" src=\"js/app.js\">"));
    }

    @Test
    void consoleModulesServedAsJavaScriptWithTheSameHeaders() {
        given().get("/admin/js/views/tokens.js").then().statusCode(200)
                .contentType(containsString("javascript"))
                .header("Content-Security-Policy", equalTo(AdminGate.CONSOLE_CSP));
    }

    @Test
    void uplotFromItsWebJarServedFromTheJar() {
        // unpacked by the build (pom.xml, unpack-uplot): only the files the console loads
        given().get("/admin/vendor/uplot/uPlot.esm.js").then().statusCode(200)
                .contentType(containsString("javascript"))
                .header("Content-Security-Policy", equalTo(AdminGate.CONSOLE_CSP))
                .body(containsString("export { uPlot as default }"));
        given().get("/admin/vendor/uplot/uPlot.min.css").then().statusCode(200).contentType(containsString("text/css"));
        given().get("/admin/vendor/uplot/uPlot.iife.js").then().statusCode(404);
    }

    @Test
    void adminWithoutSlashRedirectsToConsole() {
        given().redirects().follow(false).get("/admin").then().statusCode(301).header("Location", "/admin/");
    }

    @Test
    void managementApiAnswersCarryNoConsolePolicy() {
        given().get("/admin/v1/me").then().statusCode(401).header("Content-Security-Policy", nullValue());
    }

    @Test
    void unknownConsoleFileThen404() {
        given().get("/admin/js/no-such-module.js").then().statusCode(404);
    }
}
