package io.udapi.manage;

import static io.udapi.manage.AdminApi.ME;
import static io.udapi.manage.AdminApi.USERS;
import static io.udapi.manage.AdminApi.USER_PASSWORD;
import static io.udapi.manage.AdminApi.anonymous;
import static io.udapi.manage.AdminApi.as;
import static io.udapi.manage.AdminApi.asAdmin;
import static io.udapi.manage.AdminApi.createUser;
import static io.udapi.manage.AdminApi.etag;
import static io.udapi.manage.AdminApi.json;
import static io.udapi.manage.AdminApi.problem;
import static io.udapi.manage.AdminApi.repeat;
import static io.udapi.manage.AdminApi.unique;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.udapi.user.Permission;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code /admin/v1/users} and {@code /admin/v1/me} (docs/api.md, admin identities). */
@QuarkusTest
class UserApiTest {

    private static final List<String> ALL_PERMISSIONS = Arrays.stream(Permission.values())
            .map(Permission::wireName).sorted().toList();

    // ---- me

    @Test
    void meAsBootstrappedAdminThenEveryPermission() {
        asAdmin().get(ME).then()
                .statusCode(200)
                .body("name", equalTo("admin"))
                .body("permissions", org.hamcrest.Matchers.containsInAnyOrder(ALL_PERMISSIONS.toArray()));
    }

    @Test
    void meAsUserWithoutPermissionsThenItsNameAndNoPermissions() {
        String user = createUser();
        as(user).get(ME).then()
                .statusCode(200)
                .body("name", equalTo(user))
                .body("permissions", empty());
    }

    @Test
    void meWithoutCredentialsThen401Unauthorized() {
        problem(anonymous().get(ME), 401, "Unauthorized").header("WWW-Authenticate", "Basic realm=\"udapi\"");
    }

    // ---- create, read

    @Test
    void createUserThen201WithoutPasswordAndTheUserCanLogIn() {
        String name = unique("new");
        ExtractableResponse<Response> created = asAdmin()
                .body(json("name", name, "password", USER_PASSWORD, "permissions", List.of("tokens.write", "tokens.read")))
                .post(USERS).then()
                .statusCode(201)
                .header("ETag", "\"1\"")
                .body("name", equalTo(name))
                .body("permissions", contains("tokens.read", "tokens.write"))
                .body("createdBy", equalTo("admin"))
                .body("$", not(hasKey("password")))
                .body("$", not(hasKey("passwordHash")))
                .extract();
        assertThat(created.header("Location"), endsWith("/admin/v1/users/" + name));

        as(name).get(ME).then().statusCode(200).body("permissions", contains("tokens.read", "tokens.write"));
    }

    @Test
    void createUserWithoutPermissionsThenNone() {
        String name = unique("bare");
        asAdmin().body(json("name", name, "password", USER_PASSWORD)).post(USERS).then()
                .statusCode(201).body("permissions", empty());
    }

    @Test
    void getAndListUsersThenNoPasswordAnywhere() {
        String name = createUser(Permission.EVENTS_READ);

        String one = asAdmin().get(USERS + "/" + name).then()
                .statusCode(200)
                .header("ETag", "\"1\"")
                .body("name", equalTo(name))
                .body("permissions", contains("events.read"))
                .extract().asString();
        String all = asAdmin().get(USERS).then()
                .statusCode(200)
                .body("items.name", hasItem(name))
                .body("items.name", hasItem("admin"))
                .extract().asString();
        for (String body : List.of(one, all)) {
            assertThat(body, not(org.hamcrest.Matchers.containsString(USER_PASSWORD)));
            assertThat(body, not(org.hamcrest.Matchers.containsString("password")));
            assertThat(body, not(org.hamcrest.Matchers.containsString("$argon2")));
        }
    }

    @Test
    void getUserByNameInAnotherCaseThenFound() {
        String name = createUser();
        asAdmin().get(USERS + "/" + name.toUpperCase()).then().statusCode(200).body("name", equalTo(name));
    }

    @Test
    void getUserWhenUnknownThen404NotFound() {
        problem(asAdmin().get(USERS + "/nobody-here"), 404, "NotFound", "nobody-here");
    }

    // ---- validation

    static Stream<Arguments> invalidNames() {
        return Stream.of(
                Arguments.of("missing", json("password", USER_PASSWORD)),
                Arguments.of("empty", json("name", "", "password", USER_PASSWORD)),
                Arguments.of("51 characters", json("name", repeat('u', 51), "password", USER_PASSWORD)),
                Arguments.of("a space", json("name", "two words", "password", USER_PASSWORD)),
                Arguments.of("an '@'", json("name", "me@example.org", "password", USER_PASSWORD)));
    }

    @ParameterizedTest(name = "name {0}")
    @MethodSource("invalidNames")
    void createUserWhenNameInvalidThen400InvalidName(String label, Map<String, Object> body) {
        problem(asAdmin().body(body).post(USERS), 400, "InvalidName");
    }

    static Stream<Arguments> invalidPasswords() {
        return Stream.of(
                Arguments.of("missing", json("name", unique("pw"))),
                Arguments.of("null", json("name", unique("pw"), "password", null)),
                Arguments.of("empty", json("name", unique("pw"), "password", "")),
                Arguments.of("11 characters", json("name", unique("pw"), "password", "elevenchars")),
                // 12 UTF-16 units, but 6 characters
                Arguments.of("6 emoji", json("name", unique("pw"), "password", "\uD83D\uDE80".repeat(6))));
    }

    @ParameterizedTest(name = "password {0}")
    @MethodSource("invalidPasswords")
    void createUserWhenPasswordInvalidThen400InvalidPassword(String label, Map<String, Object> body) {
        problem(asAdmin().body(body).post(USERS), 400, "InvalidPassword")
                .body("errors[0].message", not(org.hamcrest.Matchers.containsString("elevenchars")));
    }

    @Test
    void createUserWithPasswordOf12CharactersThen201() {
        asAdmin().body(json("name", unique("pw"), "password", "twelve-chars")).post(USERS).then().statusCode(201);
    }

    @Test
    void createUserWhenNameTakenCaseInsensitivelyThen409NameInUse() {
        String name = createUser();
        // a user's id is its lower-cased name, so the refusal names the user that holds it
        problem(asAdmin().body(json("name", name.toUpperCase(), "password", USER_PASSWORD)).post(USERS),
                409, "NameInUse", name.toLowerCase());
        problem(asAdmin().body(json("name", "ADMIN", "password", USER_PASSWORD)).post(USERS), 409, "NameInUse", "admin");
    }

    // ---- patch

    @Test
    void patchUserPermissionsThen200AndTheyApplyAtOnce() {
        String name = createUser(Permission.TOKENS_READ);
        as(name).get(AdminApi.EVENTS).then().statusCode(403);

        asAdmin().contentType("application/merge-patch+json").body(json("permissions", List.of("events.read")))
                .patch(USERS + "/" + name).then()
                .statusCode(200)
                .header("ETag", etag(2))
                .body("version", equalTo(2))
                .body("permissions", contains("events.read"))
                .body("$", not(hasKey("password")));

        as(name).get(AdminApi.EVENTS).then().statusCode(200);
        as(name).get(AdminApi.TOKENS).then().statusCode(403);
    }

    @Test
    void patchUserPasswordThenOnlyTheNewPasswordWorks() {
        String name = createUser();
        as(name).get(ME).then().statusCode(200);

        asAdmin().body(json("password", "a-brand-new-password")).patch(USERS + "/" + name).then()
                .statusCode(200).body("$", not(hasKey("password")));

        problem(as(name).get(ME), 401, "Unauthorized");
        as(name, "a-brand-new-password").get(ME).then().statusCode(200);
    }

    @Test
    void patchUserWithShortPasswordThen400InvalidPassword() {
        String name = createUser();
        problem(asAdmin().body(json("password", "short")).patch(USERS + "/" + name), 400, "InvalidPassword",
                name.toLowerCase());
    }

    @Test
    void patchUserWithNameThen400InvalidName() {
        String name = createUser();
        problem(asAdmin().body(json("name", unique("renamed"))).patch(USERS + "/" + name), 400, "InvalidName",
                name.toLowerCase());
    }

    @Test
    void patchUserWithNameAndShortPasswordThen400WithBothReasonsAndTheUserUnchanged() {
        String name = createUser();
        String id = name.toLowerCase();
        asAdmin().body(json("name", unique("renamed"), "password", "short")).patch(USERS + "/" + name).then()
                .statusCode(400)
                .body("errors.size()", equalTo(2))
                .body("errors[0].reason", equalTo("InvalidName"))
                .body("errors[0].id", equalTo(id))
                .body("errors[0].message", equalTo("a user cannot be renamed; create a new user instead"))
                .body("errors[1].reason", equalTo("InvalidPassword"))
                .body("errors[1].id", equalTo(id))
                .body("errors[1].message", equalTo("password must have at least 12 characters"));
        asAdmin().get(USERS + "/" + name).then().statusCode(200).header("ETag", "\"1\"");
        as(name).get(ME).then().statusCode(200);
    }

    @Test
    void patchUserWhenIfMatchIsStaleThen412VersionMismatch() {
        String name = createUser();
        problem(asAdmin().header("If-Match", etag(5)).body(json("permissions", List.of())).patch(USERS + "/" + name),
                412, "VersionMismatch", name.toLowerCase());
        asAdmin().header("If-Match", etag(1)).body(json("permissions", List.of("events.read")))
                .patch(USERS + "/" + name).then().statusCode(200);
    }

    @Test
    void patchUserWhenUnknownThen404NotFound() {
        problem(asAdmin().body(json("permissions", List.of())).patch(USERS + "/ghost-user"), 404, "NotFound",
                "ghost-user");
    }

    // ---- delete

    @Test
    void deleteUserThen204AndItCanNoLongerLogIn() {
        String name = createUser(Permission.TOKENS_READ);
        as(name).get(ME).then().statusCode(200);

        asAdmin().delete(USERS + "/" + name).then().statusCode(204);

        problem(asAdmin().get(USERS + "/" + name), 404, "NotFound", name);
        problem(as(name).get(ME), 401, "Unauthorized");
        problem(asAdmin().delete(USERS + "/" + name), 404, "NotFound", name);
    }

    @Test
    void deleteManagerWhenAnotherManagerRemainsThen204() {
        String manager = createUser(Permission.USERS_MANAGE);
        asAdmin().delete(USERS + "/" + manager).then().statusCode(204);
    }

    /**
     * Makes {@code admin} the only holder of {@code users.manage} (other tests create managers by
     * demoting them), then checks that it can be neither deleted nor demoted.
     */
    @Test
    void deleteOrDemoteLastManagerThen409LastManager() {
        List<Map<String, Object>> users = asAdmin().get(USERS).then().statusCode(200).extract().path("items");
        for (Map<String, Object> user : users) {
            @SuppressWarnings("unchecked")
            List<String> permissions = (List<String>) user.get("permissions");
            if (!user.get("name").equals("admin") && permissions.contains("users.manage")) {
                asAdmin().body(json("permissions", permissions.stream().filter(p -> !p.equals("users.manage")).toList()))
                        .patch(USERS + "/" + user.get("name")).then().statusCode(200);
            }
        }

        problem(asAdmin().delete(USERS + "/admin"), 409, "LastManager", "admin");
        problem(asAdmin().body(json("permissions", List.of("tokens.read"))).patch(USERS + "/admin"),
                409, "LastManager", "admin");
        asAdmin().get(ME).then().statusCode(200).body("permissions", hasItem("users.manage"));
    }

    @Test
    void demoteManagerWhenAnotherManagerRemainsThen200() {
        String manager = createUser(Permission.USERS_MANAGE, Permission.TOKENS_READ);
        asAdmin().body(json("permissions", List.of("tokens.read"))).patch(USERS + "/" + manager).then()
                .statusCode(200).body("permissions", contains("tokens.read"));
    }
}
