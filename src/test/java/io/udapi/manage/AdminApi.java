package io.udapi.manage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.matchesPattern;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.udapi.user.Permission;
import org.hamcrest.MatcherAssert;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shared helpers of the management-API tests: callers, fixtures built through the API itself, unique
 * names (every test class shares one application and one store), and the check of the error body.
 */
final class AdminApi {

    static final String TOKENS = "/admin/v1/tokens";
    static final String DEFINITIONS = "/admin/v1/definitions";
    static final String USERS = "/admin/v1/users";
    static final String EVENTS = "/admin/v1/events";
    static final String ME = "/admin/v1/me";

    static final String ADMIN = "admin";
    /** {@code %test.udapi.admin-password} in application.properties. */
    static final String ADMIN_PASSWORD = "test-admin-password-0123";
    /** The password of every user the tests create. */
    static final String USER_PASSWORD = "user-password-0123";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.=+/".toCharArray();

    private AdminApi() {
    }

    // ---- callers

    static RequestSpecification asAdmin() {
        return as(ADMIN, ADMIN_PASSWORD);
    }

    /** A user created by {@link #createUser}. */
    static RequestSpecification as(String user) {
        return as(user, USER_PASSWORD);
    }

    static RequestSpecification as(String user, String password) {
        return given().auth().preemptive().basic(user, password).contentType(ContentType.JSON);
    }

    static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON);
    }

    // ---- values

    /** A valid, unique token or user name: {@code prefix-<n>-<random>}, at most 50 characters. */
    static String unique(String prefix) {
        String name = prefix + "-" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        if (name.length() > 50) {
            throw new IllegalArgumentException("prefix too long: " + prefix);
        }
        return name;
    }

    /** A valid, unique route segment to start routes with. */
    static String uniqueSegment(String prefix) {
        return unique(prefix).toLowerCase();
    }

    /** A random valid secret of {@code length} characters. */
    static String secret(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = SECRET_ALPHABET[RANDOM.nextInt(SECRET_ALPHABET.length)];
        }
        return new String(chars);
    }

    static String repeat(char c, int times) {
        char[] chars = new char[times];
        Arrays.fill(chars, c);
        return new String(chars);
    }

    /** A JSON object from key/value pairs; unlike {@code Map.of} it keeps explicit nulls. */
    static Map<String, Object> json(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    // ---- fixtures (created as admin)

    static Response createToken(Map<String, Object> body) {
        return asAdmin().body(body).post(TOKENS);
    }

    /** Creates a token named {@code name} and answers its id. */
    static String tokenNamed(String name) {
        return createToken(json("name", name)).then().statusCode(201).extract().path("id");
    }

    static String newToken() {
        return tokenNamed(unique("tok"));
    }

    static Map<String, Object> definition(String route, String... tokenIds) {
        return json("route", route, "allowedTokens", List.of(tokenIds), "actionMeta", json("scriptName", "script.sh"));
    }

    static Response createDefinition(Map<String, Object> body) {
        return asAdmin().body(body).post(DEFINITIONS);
    }

    /** Creates a definition of {@code route} allowing {@code tokenIds} and answers its id. */
    static String definitionOf(String route, String... tokenIds) {
        return createDefinition(definition(route, tokenIds)).then().statusCode(201).extract().path("id");
    }

    static String newDefinition(String... tokenIds) {
        return definitionOf(uniqueSegment("def") + "/{id}", tokenIds);
    }

    /** Creates a user with {@link #USER_PASSWORD} and exactly {@code permissions}; answers its name. */
    static String createUser(Permission... permissions) {
        return createUser(List.of(permissions));
    }

    static String createUser(List<Permission> permissions) {
        String name = unique("user");
        asAdmin().body(json("name", name, "password", USER_PASSWORD,
                        "permissions", permissions.stream().map(Permission::wireName).toList()))
                .post(USERS).then().statusCode(201);
        return name;
    }

    // ---- checks

    /**
     * Checks the error body of docs/api.md: the status, JSON, and a first error with {@code reason}, an
     * {@code id} that is always present ({@code null} when there is none) and a message. Chain the
     * reason-specific fields on the answer (under {@code errors[0]}).
     */
    static ValidatableResponse problem(Response response, int status, String reason, String id) {
        return response.then()
                .statusCode(status)
                .contentType(startsWith("application/json"))
                .body("errors[0].reason", equalTo(reason))
                .body("errors[0]", hasKey("id"))
                .body("errors[0].id", id == null ? nullValue() : equalTo(id))
                .body("errors[0].message", not(emptyOrNullString()));
    }

    /** A secret as docs/concepts.md, "Tokens" requires a generated one: at least 32 characters of the secret alphabet. */
    static void assertValidSecret(String secret) {
        MatcherAssert.assertThat(secret, matchesPattern("[A-Za-z0-9_\\-.=+/]{32,512}"));
    }

    static ValidatableResponse problem(Response response, int status, String reason) {
        return problem(response, status, reason, null);
    }
}
