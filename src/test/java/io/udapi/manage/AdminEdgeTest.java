package io.udapi.manage;

import static io.restassured.RestAssured.given;
import static io.udapi.manage.AdminApi.ADMIN;
import static io.udapi.manage.AdminApi.ADMIN_PASSWORD;
import static io.udapi.manage.AdminApi.ME;
import static io.udapi.manage.AdminApi.TOKENS;
import static io.udapi.manage.AdminApi.USERS;
import static io.udapi.manage.AdminApi.USER_PASSWORD;
import static io.udapi.manage.AdminApi.as;
import static io.udapi.manage.AdminApi.asAdmin;
import static io.udapi.manage.AdminApi.createUser;
import static io.udapi.manage.AdminApi.json;
import static io.udapi.manage.AdminApi.newToken;
import static io.udapi.manage.AdminApi.problem;
import static io.udapi.manage.AdminApi.unique;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.udapi.http.RawHttp;
import io.udapi.user.Permission;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edge of the management API under attack (docs/security.md): every spelling of a path meets the same
 * checks, writes must be JSON, credentials cannot outlive their user, wrong credentials are cheap to repeat,
 * and a refused request is answered before its body is read. Requests that a client library would
 * normalise or complete go over a raw socket ({@link RawHttp}).
 */
@QuarkusTest
class AdminEdgeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private int port() {
        return root.getPort();
    }

    private static String basic(String user, String password) {
        return "Authorization: Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    // ---- one surface: every spelling of a path is the normalised path, for every check

    /** Spellings of {@code /admin/v1/me} that the router resolves to it. */
    @ParameterizedTest
    @ValueSource(strings = {"/%61dmin/v1/me", "/x/../admin/v1/me", "/./admin/v1/me", "//admin/v1/me",
            "/admin//v1/me", "/admin/./v1/me", "/admin/v1/%6De", "/api/custom/../../admin/v1/me", "/%2e/admin/v1/me"})
    void spelledAdminPathWithoutCredentialsThen401WithChallenge(String path) throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(port(), "GET " + path + " HTTP/1.1", null);
        assertEquals(401, answer.status(), path);
        assertEquals("Basic realm=\"udapi\"", answer.header("WWW-Authenticate"));
        assertEquals("Unauthorized", JSON.readTree(answer.body()).at("/errors/0/reason").asText());
    }

    /**
     * The scheme folds ASCII letters only: {@code Ba\u017Fic} (long s, sent as its UTF-8 bytes) and other
     * look-alikes are not {@code Basic}, while {@code bAsIc} is.
     */
    @ParameterizedTest
    @ValueSource(strings = {"Ba\u017Fic", "BA\u017FIC", "B\u0430sic", "\u0392asic"})
    void schemeThatOnlyUnicodeFoldsToBasicThen401(String scheme) throws Exception {
        String pair = Base64.getEncoder().encodeToString((ADMIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        RawHttp.Answer answer = RawHttp.exchange(port(), "GET /admin/v1/me HTTP/1.1\r\nAuthorization: " + scheme + " " + pair, null);
        assertEquals(401, answer.status(), scheme);
        assertEquals("Unauthorized", JSON.readTree(answer.body()).at("/errors/0/reason").asText());
        RawHttp.Answer ascii = RawHttp.exchange(port(), "GET /admin/v1/me HTTP/1.1\r\nAuthorization: bAsIc " + pair, null);
        assertEquals(200, ascii.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%61dmin/v1/me", "/x/../admin/v1/me", "//admin/v1/me", "/admin/v1/%6De"})
    void spelledAdminPathWithCredentialsThenTheSameResource(String path) throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(port(), "GET " + path + " HTTP/1.1\r\n" + basic(ADMIN, ADMIN_PASSWORD), null);
        assertEquals(200, answer.status(), path);
        assertEquals(ADMIN, JSON.readTree(answer.body()).path("name").asText());
    }

    /**
     * Matrix parameters: the REST layer drops each segment's {@code ;...} before it routes, so these would reach
     * the users, tokens, events, definitions and stats resources; the gate answers 404 to them all, with or
     * without credentials, and nothing of a collection is in the answer.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/admin;x/v1/users", "/admin;/v1/users", "/admin/v1;x/tokens", "/admin;x/v1/events",
            "/admin/v1/users;x", "/admin/v1/tokens;x", "/admin;x/v1/definitions/openapi", "/admin;x/v1/stats",
            "/admin/;x/v1/users", "/admin/v1;/me", "/admin/v1/events;x/stream", "/admin;x/", "/admin;x"})
    void adminPathWithMatrixParametersThen404WithOrWithoutCredentials(String path) throws Exception {
        for (String credentials : List.of("", "\r\n" + basic(ADMIN, ADMIN_PASSWORD))) {
            RawHttp.Answer answer = RawHttp.exchange(port(), "GET " + path + " HTTP/1.1" + credentials, null);
            assertEquals(404, answer.status(), path + credentials);
            assertEquals("NotFound", JSON.readTree(answer.body()).at("/errors/0/reason").asText(), path);
            assertTrue(!answer.body().contains("items") && !answer.body().contains(ADMIN), answer.body());
        }
    }

    /** A user with no permission cannot reach a collection's writes by a matrix-parameter spelling. */
    @Test
    void createUserThroughAMatrixParameterSpellingByAUserWithoutPermissionsThen404AndNothingCreated() throws Exception {
        String powerless = createUser();
        String name = unique("escalated");
        String body = "{\"name\":\"" + name + "\",\"password\":\"" + USER_PASSWORD + "\",\"permissions\":[\"users.manage\"]}";
        for (String path : List.of("/admin/v1/users;x", "/admin;x/v1/users", "/admin/v1;x/users")) {
            RawHttp.Answer answer = RawHttp.exchange(port(), "POST " + path + " HTTP/1.1\r\n" + basic(powerless, USER_PASSWORD)
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length, body);
            assertEquals(404, answer.status(), path);
            assertEquals("NotFound", JSON.readTree(answer.body()).at("/errors/0/reason").asText(), path);
        }
        asAdmin().get(USERS + "/" + name).then().statusCode(404);
    }

    /** {@code tokens/revoke/} is routed as {@code tokens/revoke}, so it needs tokens.delete like it. */
    @Test
    void revokeWithATrailingSlashByAUserWithOnlyTokensWriteThen403AndTheTokenStays() throws Exception {
        String writer = createUser(Permission.TOKENS_WRITE);
        String token = newToken();
        String body = "{\"ids\":[\"" + token + "\"]}";
        for (String path : List.of(TOKENS + "/revoke/", TOKENS + "/revoke//")) {
            RawHttp.Answer answer = RawHttp.exchange(port(), "POST " + path + " HTTP/1.1\r\n" + basic(writer, USER_PASSWORD)
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length(), body);
            assertEquals(403, answer.status(), path + ": " + answer.body());
            assertEquals("Forbidden", JSON.readTree(answer.body()).at("/errors/0/reason").asText(), path);
        }
        asAdmin().get(TOKENS + "/" + token).then().statusCode(200).body("isDisabled", equalTo(false));
    }

    /** A path under /admin/v1/ that names no collection is refused by the gate, not left to the REST layer. */
    @ParameterizedTest
    @ValueSource(strings = {"/admin/v1/", "/admin/v1/nothing", "/admin/v1/Tokens2", "/admin/v1/users%3Bx"})
    void pathNamingNoCollectionWithCredentialsThen404(String path) throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(port(), "GET " + path + " HTTP/1.1\r\n" + basic(ADMIN, ADMIN_PASSWORD), null);
        assertEquals(404, answer.status(), path);
        assertEquals("NotFound", JSON.readTree(answer.body()).at("/errors/0/reason").asText(), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%61dmin/v1/tokens", "/x/../admin/v1/tokens", "//admin/v1/tokens"})
    void spelledAdminPathWithOversizedBodyThen413BeforeTheBody(String path) throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(port(), "POST " + path + " HTTP/1.1\r\n" + basic(ADMIN, ADMIN_PASSWORD)
                + "\r\nContent-Type: application/json\r\nContent-Length: " + (2 * 1024 * 1024), null);
        assertEquals(413, answer.status(), path);
        assertEquals("PayloadTooLarge", JSON.readTree(answer.body()).at("/errors/0/reason").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%61dmin/", "//admin/", "/x/../admin/", "/%61dmin/js/app.js"})
    void spelledConsolePathThenConsoleSecurityHeaders(String path) throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(port(), "GET " + path + " HTTP/1.1", null);
        assertEquals(200, answer.status(), path);
        assertEquals(AdminGate.CONSOLE_CSP, answer.header("Content-Security-Policy"));
        assertEquals("DENY", answer.header("X-Frame-Options"));
        assertEquals("nosniff", answer.header("X-Content-Type-Options"));
    }

    // ---- cross-site request forgery: writes accept only JSON

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "text/html", "application/merge-patch+json", "application/jsonx", "none"})
    void createUserWithNonJsonMediaTypeThen415AndNothingCreated(String mediaType) throws Exception {
        String name = unique("csrf");
        String body = "{\"name\":\"" + name + "\",\"password\":\"forged-password-0123\",\"permissions\":[\"users.manage\"]}";
        RawHttp.Answer answer = RawHttp.exchange(port(), "POST /admin/v1/users HTTP/1.1\r\n" + basic(ADMIN, ADMIN_PASSWORD)
                + (mediaType.equals("none") ? "" : "\r\nContent-Type: " + mediaType)
                + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length, body);
        assertEquals(415, answer.status(), mediaType);
        JsonNode error = JSON.readTree(answer.body()).at("/errors/0");
        assertEquals("UnsupportedMediaType", error.path("reason").asText());
        assertTrue(error.has("id") && error.get("id").isNull());
        assertThat(error.path("message").asText(), containsString("application/json"));
        problem(asAdmin().get(USERS + "/" + name), 404, "NotFound", name);
    }

    @Test
    void formPostOfAnotherSiteOverTheWireThen415AndNothingCreated() throws Exception {
        String name = unique("form");
        String body = "{\"name\":\"" + name + "\",\"password\":\"forged-password-0123\",\"permissions\":[\"users.manage\"]}";
        RawHttp.Answer answer = RawHttp.exchange(port(), "POST /admin/v1/users HTTP/1.1\r\n" + basic(ADMIN, ADMIN_PASSWORD)
                + "\r\nOrigin: https://evil.example\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length, body);
        assertEquals(415, answer.status());
        assertEquals("UnsupportedMediaType", JSON.readTree(answer.body()).at("/errors/0/reason").asText());
        assertThat("no CORS header", answer.header("Access-Control-Allow-Origin"), nullValue());
        problem(asAdmin().get(USERS + "/" + name), 404, "NotFound", name);
    }

    @Test
    void rotateWithoutBodyOrMediaTypeThen415AndTheSecretUnchanged() throws Exception {
        String id = newToken();
        long version = asAdmin().get(TOKENS + "/" + id).then().statusCode(200).extract().jsonPath().getLong("version");
        RawHttp.Answer answer = RawHttp.exchange(port(), "POST /admin/v1/tokens/" + id + "/rotate HTTP/1.1\r\n"
                + basic(ADMIN, ADMIN_PASSWORD) + "\r\nContent-Length: 0", null);
        assertEquals(415, answer.status());
        assertThat(answer.body(), containsString("UnsupportedMediaType"));
        asAdmin().get(TOKENS + "/" + id).then().statusCode(200).body("version", equalTo((int) version));
    }

    @Test
    void patchWithMergePatchOrJsonWithCharsetThenAccepted() {
        String id = newToken();
        asAdmin().contentType("application/merge-patch+json").body(json("isDisabled", true))
                .patch(TOKENS + "/" + id).then().statusCode(200).body("isDisabled", equalTo(true));
        asAdmin().contentType("Application/JSON; charset=UTF-8").body(json("isDisabled", false))
                .patch(TOKENS + "/" + id).then().statusCode(200).body("isDisabled", equalTo(false));
    }

    // ---- credentials never outlive their user

    @Test
    void deletedUserRecreatedWithTheSameNameThenTheOldPasswordNeverWorks() {
        String name = unique("bob");
        String first = "first-password-0123";
        String second = "second-password-0123";
        asAdmin().body(json("name", name, "password", first, "permissions", List.of("users.manage", "tokens.read")))
                .post(USERS).then().statusCode(201);
        as(name, first).get(ME).then().statusCode(200); // now cached
        asAdmin().delete(USERS + "/" + name).then().statusCode(204);
        problem(as(name, first).get(ME), 401, "Unauthorized");
        asAdmin().body(json("name", name, "password", second, "permissions", List.of("events.read")))
                .post(USERS).then().statusCode(201);
        problem(as(name, first).get(ME), 401, "Unauthorized");
        as(name, second).get(ME).then().statusCode(200).body("permissions", equalTo(List.of("events.read")));
    }

    @Test
    void recreatedUserWithTheSamePasswordThenItsOwnPermissionsOnly() {
        String name = unique("carol");
        asAdmin().body(json("name", name, "password", USER_PASSWORD, "permissions", List.of("users.manage")))
                .post(USERS).then().statusCode(201);
        as(name).get(ME).then().statusCode(200).body("permissions", equalTo(List.of("users.manage")));
        asAdmin().delete(USERS + "/" + name).then().statusCode(204);
        asAdmin().body(json("name", name, "password", USER_PASSWORD, "permissions", List.of("tokens.read")))
                .post(USERS).then().statusCode(201);
        as(name).get(ME).then().statusCode(200).body("permissions", equalTo(List.of("tokens.read")));
        problem(as(name).get(USERS), 403, "Forbidden");
    }

    @Test
    void passwordChangeThenTheOldPasswordIsRefusedOnTheNextRequest() {
        String name = createUser(Permission.TOKENS_READ);
        as(name).get(ME).then().statusCode(200);
        asAdmin().contentType("application/merge-patch+json").body(json("password", "changed-password-0123"))
                .patch(USERS + "/" + name).then().statusCode(200);
        problem(as(name).get(ME), 401, "Unauthorized");
        as(name, "changed-password-0123").get(ME).then().statusCode(200);
    }

    // ---- wrong credentials cost Argon2 once, then nothing, and never the body

    @Test
    void repeatedWrongPasswordThenOneArgon2RunOnly() {
        String name = createUser(Permission.TOKENS_READ);
        double before = argon2Runs();
        for (int i = 0; i < 20; i++) {
            problem(as(name, "wrong-password-0123").get(ME), 401, "Unauthorized");
        }
        for (int i = 0; i < 20; i++) {
            problem(as("nobody-" + name, "wrong-password-0123").get(ME), 401, "Unauthorized");
        }
        assertEquals(2.0, argon2Runs() - before, "Argon2 runs for 40 repeats of two wrong pairs");
        as(name).get(ME).then().statusCode(200); // the right password is not caught by the failure memory
    }

    @Test
    void wrongPasswordRememberedThenForgottenWhenTheUserGetsThatPassword() {
        String name = createUser(Permission.TOKENS_READ);
        problem(as(name, "future-password-0123").get(ME), 401, "Unauthorized");
        asAdmin().contentType("application/merge-patch+json").body(json("password", "future-password-0123"))
                .patch(USERS + "/" + name).then().statusCode(200);
        as(name, "future-password-0123").get(ME).then().statusCode(200);
    }

    @Test
    void unauthenticatedChunkedUploadThen401BeforeTheBodyAndTheConnectionClosed() throws Exception {
        refusedBeforeTheBody(basic(ADMIN, "wrong-password-0123"), 401, "Unauthorized");
        refusedBeforeTheBody("X-No-Credentials: 1", 401, "Unauthorized");
    }

    @Test
    void unauthorisedChunkedUploadThen403BeforeTheBody() throws Exception {
        String name = createUser(Permission.TOKENS_READ);
        refusedBeforeTheBody(basic(name, USER_PASSWORD), 403, "Forbidden");
    }

    /** A chunked body has no declared length: it is counted as it arrives, and refused past 1 MiB. */
    @Test
    void chunkedUploadPastOneMebibyteThen413AndTheConnectionClosed() throws Exception {
        try (RawHttp http = RawHttp.connect(port(), Duration.ofSeconds(10))) {
            StringBuilder request = new StringBuilder("POST /admin/v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\n" + basic(ADMIN, ADMIN_PASSWORD)
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "x".repeat(0x10000);
            for (int i = 0; i < 17; i++) { // 17 x 64 KiB: one chunk past the limit, and no end
                request.append("10000\r\n").append(chunk).append("\r\n");
            }
            http.send(request.toString());
            RawHttp.Answer answer = http.read();
            assertEquals(413, answer.status());
            assertEquals("PayloadTooLarge", JSON.readTree(answer.body()).at("/errors/0/reason").asText());
            assertTrue(JSON.readTree(answer.body()).at("/errors/0/message").asText().contains("at most 1048576"));
            assertTrue(http.closedByPeer(), "the connection of the refused upload is closed");
        }
    }

    /** Under the limit, a chunked body reaches the REST layer whole, as a declared one does. */
    @Test
    void chunkedUploadUnderTheLimitIsReadWhole() throws Exception {
        String name = "chunked-" + System.nanoTime();
        String json = "{\"name\":\"" + name + "\"" + " ".repeat(1000) + "}";
        try (RawHttp http = RawHttp.connect(port(), Duration.ofSeconds(10))) {
            int half = json.length() / 2;
            http.send("POST /admin/v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\n" + basic(ADMIN, ADMIN_PASSWORD)
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(half) + "\r\n" + json.substring(0, half) + "\r\n"
                    + Integer.toHexString(json.length() - half) + "\r\n" + json.substring(half) + "\r\n0\r\n\r\n");
            RawHttp.Answer answer = http.read();
            assertEquals(201, answer.status(), answer.body());
            assertEquals(name, JSON.readTree(answer.body()).at("/name").asText());
        }
    }

    /** Sends the head and one chunk of a never-ending upload: the answer must come without the rest. */
    private void refusedBeforeTheBody(String credentialsHeader, int status, String reason) throws Exception {
        try (RawHttp http = RawHttp.connect(port(), Duration.ofSeconds(10))) {
            http.send("POST /admin/v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\n" + credentialsHeader
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "400\r\n" + "x".repeat(0x400) + "\r\n");
            RawHttp.Answer answer = http.read();
            assertEquals(status, answer.status());
            assertEquals(reason, JSON.readTree(answer.body()).at("/errors/0/reason").asText());
            assertTrue(http.closedByPeer(), "the connection of the refused upload is closed");
        }
    }

    private double argon2Runs() {
        String text = given().get(metrics).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^udapi_admin_password_verifications_total(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        assertTrue(m.find(), "udapi_admin_password_verifications_total is exported");
        return Double.parseDouble(m.group(1));
    }
}
