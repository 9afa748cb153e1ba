package io.udapi.manage;

import static io.udapi.manage.AdminApi.DEFINITIONS;
import static io.udapi.manage.AdminApi.EVENTS;
import static io.udapi.manage.AdminApi.ME;
import static io.udapi.manage.AdminApi.TOKENS;
import static io.udapi.manage.AdminApi.USERS;
import static io.udapi.manage.AdminApi.USER_PASSWORD;
import static io.udapi.manage.AdminApi.anonymous;
import static io.udapi.manage.AdminApi.as;
import static io.udapi.manage.AdminApi.createUser;
import static io.udapi.manage.AdminApi.definition;
import static io.udapi.manage.AdminApi.json;
import static io.udapi.manage.AdminApi.newDefinition;
import static io.udapi.manage.AdminApi.newToken;
import static io.udapi.manage.AdminApi.problem;
import static io.udapi.manage.AdminApi.unique;
import static io.udapi.manage.AdminApi.uniqueSegment;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.udapi.user.Permission;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Authentication (HTTP Basic, 401) and authorisation (one permission per endpoint, 403) of every
 * management endpoint (docs/api.md). Each endpoint is called by a user holding every permission but its own
 * (refused) and by a user holding only its own (served).
 */
@QuarkusTest
class AccessControlTest {

    /** Users per permission, created once: Argon2 makes each creation and first login cost a few ms. */
    private static final Map<Permission, String> ONLY = new ConcurrentHashMap<>();
    private static final Map<Permission, String> ALL_BUT = new ConcurrentHashMap<>();

    /** One management endpoint, the permission it needs and its success status; fixtures are made per call. */
    enum Endpoint {
        LIST_TOKENS(Permission.TOKENS_READ, 200, r -> r.get(TOKENS)),
        GET_TOKEN(Permission.TOKENS_READ, 200, r -> r.get(TOKENS + "/" + newToken())),
        CREATE_TOKEN(Permission.TOKENS_WRITE, 201, r -> r.body(json("name", unique("acl"))).post(TOKENS)),
        PATCH_TOKEN(Permission.TOKENS_WRITE, 200, r -> r.body(json("isDisabled", true)).patch(TOKENS + "/" + newToken())),
        ROTATE_TOKEN(Permission.TOKENS_WRITE, 200, r -> r.post(TOKENS + "/" + newToken() + "/rotate")),
        DELETE_TOKEN(Permission.TOKENS_DELETE, 204, r -> r.delete(TOKENS + "/" + newToken())),
        REVOKE_TOKENS(Permission.TOKENS_DELETE, 200, r -> r.body(json("ids", List.of(newToken()))).post(TOKENS + "/revoke")),
        LIST_DEFINITIONS(Permission.DEFINITIONS_READ, 200, r -> r.get(DEFINITIONS)),
        GET_DEFINITION(Permission.DEFINITIONS_READ, 200, r -> r.get(DEFINITIONS + "/" + newDefinition())),
        CREATE_DEFINITION(Permission.DEFINITIONS_WRITE, 201,
                r -> r.body(definition(uniqueSegment("acl"))).post(DEFINITIONS)),
        PATCH_DEFINITION(Permission.DEFINITIONS_WRITE, 200,
                r -> r.body(json("name", "patched")).patch(DEFINITIONS + "/" + newDefinition())),
        DELETE_DEFINITION(Permission.DEFINITIONS_DELETE, 204, r -> r.delete(DEFINITIONS + "/" + newDefinition())),
        LIST_EVENTS(Permission.EVENTS_READ, 200, r -> r.get(EVENTS)),
        GET_STATS(Permission.EVENTS_READ, 200, r -> r.get("/admin/v1/stats")),
        LIST_USERS(Permission.USERS_MANAGE, 200, r -> r.get(USERS)),
        GET_USER(Permission.USERS_MANAGE, 200, r -> r.get(USERS + "/" + createUser())),
        CREATE_USER(Permission.USERS_MANAGE, 201,
                r -> r.body(json("name", unique("acl"), "password", USER_PASSWORD)).post(USERS)),
        PATCH_USER(Permission.USERS_MANAGE, 200,
                r -> r.body(json("permissions", List.of("events.read"))).patch(USERS + "/" + createUser())),
        DELETE_USER(Permission.USERS_MANAGE, 204, r -> r.delete(USERS + "/" + createUser()));

        final Permission permission;
        final int success;
        final Function<RequestSpecification, Response> call;

        Endpoint(Permission permission, int success, Function<RequestSpecification, Response> call) {
            this.permission = permission;
            this.success = success;
            this.call = call;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Endpoint.class)
    void endpointWhenCallerLacksItsPermissionThen403Forbidden(Endpoint endpoint) {
        problem(endpoint.call.apply(as(allBut(endpoint.permission))), 403, "Forbidden");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Endpoint.class)
    void endpointWhenCallerHasOnlyItsPermissionThenServed(Endpoint endpoint) {
        endpoint.call.apply(as(only(endpoint.permission))).then().statusCode(endpoint.success);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Endpoint.class)
    void endpointWithoutCredentialsThen401Unauthorized(Endpoint endpoint) {
        unauthorized(endpoint.call.apply(anonymous()));
    }

    @Test
    void everyPermissionGuardsAtLeastOneEndpoint() {
        EnumSet<Permission> guarded = EnumSet.noneOf(Permission.class);
        Arrays.stream(Endpoint.values()).forEach(e -> guarded.add(e.permission));
        org.hamcrest.MatcherAssert.assertThat(guarded, org.hamcrest.Matchers.equalTo(EnumSet.allOf(Permission.class)));
    }

    @Test
    void eventStreamWhenCallerLacksEventsReadThen403Forbidden() {
        problem(as(allBut(Permission.EVENTS_READ)).accept("text/event-stream").get(EVENTS + "/stream"), 403, "Forbidden");
    }

    @Test
    void meWithNoPermissionAtAllThenServed() {
        as(createUser()).get(ME).then().statusCode(200);
    }

    // ---- 401

    static Stream<Arguments> badCredentials() {
        return Stream.of(
                Arguments.of("no Authorization header", null),
                Arguments.of("a wrong password", basic("admin", "not-the-password")),
                Arguments.of("the right password of another user", basic("admin", USER_PASSWORD)),
                Arguments.of("an unknown user", basic("nobody-" + unique("x"), USER_PASSWORD)),
                Arguments.of("an empty user name", basic("", AdminApi.ADMIN_PASSWORD)),
                Arguments.of("an empty password", basic("admin", "")),
                Arguments.of("no colon in the credentials", "Basic " + b64("adminpassword")),
                Arguments.of("credentials that are not Base64", "Basic !!!not-base64!!!"),
                Arguments.of("an empty Basic value", "Basic "),
                Arguments.of("the Basic scheme alone", "Basic"),
                Arguments.of("a Bearer token", "Bearer " + b64("admin:" + AdminApi.ADMIN_PASSWORD)),
                Arguments.of("unencoded credentials", "Basic admin:" + AdminApi.ADMIN_PASSWORD),
                Arguments.of("an empty header", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCredentials")
    void requestWithBadCredentialsThen401UnauthorizedWithBasicChallenge(String label, String authorization) {
        RequestSpecification request = anonymous();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        unauthorized(request.get(TOKENS));
        unauthorized((authorization == null ? anonymous() : anonymous().header("Authorization", authorization)).get(ME));
    }

    @Test
    void requestWithBasicSchemeInOtherCaseThenServed() {
        anonymous().header("Authorization", "basic " + b64("admin:" + AdminApi.ADMIN_PASSWORD)).get(ME).then()
                .statusCode(200);
    }

    @Test
    void unauthenticatedWriteWithInvalidBodyThen401NotValidation() {
        unauthorized(anonymous().body("{not json").post(TOKENS));
    }

    @Test
    void wrongPasswordFromConsoleScriptThen401WithoutBasicChallenge() {
        // X-Requested-With: the browser must not answer with its own password prompt (docs/decisions.md)
        problem(anonymous().header("Authorization", "Basic " + b64("admin:wrong-password-0000"))
                .header("X-Requested-With", "XMLHttpRequest").get(ME), 401, "Unauthorized")
                .header("WWW-Authenticate", org.hamcrest.Matchers.nullValue());
        unauthorized(anonymous().header("Authorization", "Basic " + b64("admin:wrong-password-0000")).get(ME));
    }

    private static void unauthorized(Response response) {
        problem(response, 401, "Unauthorized").header("WWW-Authenticate", "Basic realm=\"udapi\"");
    }

    private static String only(Permission permission) {
        return ONLY.computeIfAbsent(permission, p -> createUser(p));
    }

    private static String allBut(Permission permission) {
        return ALL_BUT.computeIfAbsent(permission, p -> {
            EnumSet<Permission> others = EnumSet.complementOf(EnumSet.of(p));
            return createUser(List.copyOf(others));
        });
    }

    private static String basic(String user, String password) {
        return "Basic " + b64(user + ":" + password);
    }

    private static String b64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
