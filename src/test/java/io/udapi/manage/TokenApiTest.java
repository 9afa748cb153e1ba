package io.udapi.manage;

import static io.udapi.manage.AdminApi.TOKENS;
import static io.udapi.manage.AdminApi.asAdmin;
import static io.udapi.manage.AdminApi.createToken;
import static io.udapi.manage.AdminApi.definitionOf;
import static io.udapi.manage.AdminApi.etag;
import static io.udapi.manage.AdminApi.json;
import static io.udapi.manage.AdminApi.newToken;
import static io.udapi.manage.AdminApi.problem;
import static io.udapi.manage.AdminApi.secret;
import static io.udapi.manage.AdminApi.tokenNamed;
import static io.udapi.manage.AdminApi.unique;
import static io.udapi.manage.AdminApi.uniqueSegment;
import static org.hamcrest.MatcherAssert.assertThat;
import static io.udapi.manage.AdminApi.assertValidSecret;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code /admin/v1/tokens}: create, read, merge patch, rotation, delete and bulk revoke (docs/concepts.md, "Tokens"). */
@QuarkusTest
class TokenApiTest {

    // ---- create

    @Test
    void createTokenWithoutSecretThen201WithGeneratedSecretLocationAndEtag() {
        String name = unique("gen");
        ExtractableResponse<Response> created = createToken(json("name", name)).then()
                .statusCode(201)
                .header("ETag", "\"1\"")
                .body("name", equalTo(name))
                .body("isDisabled", equalTo(false))
                .body("expiresAt", nullValue())
                .body("rateLimit", nullValue())
                .body("createdBy", equalTo("admin"))
                .body("lastModifiedBy", equalTo("admin"))
                .body("createdAt", notNullValue())
                .body("version", equalTo(1))
                .extract();
        String id = created.path("id");
        String secret = created.path("secret");
        UUID.fromString(id);
        assertThat(created.header("Location"), endsWith("/admin/v1/tokens/" + id));
        assertValidSecret(secret);
        assertThat(created.path("secretHint"), equalTo(secret.substring(0, 4)));
    }

    @Test
    void createTokenWithGivenSecretThenThatSecretIsReturnedOnce() {
        String secret = secret(40);
        String id = createToken(json("name", unique("given"), "secret", secret)).then()
                .statusCode(201)
                .body("secret", equalTo(secret))
                .body("secretHint", equalTo(secret.substring(0, 4)))
                .extract().path("id");

        asAdmin().get(TOKENS + "/" + id).then().statusCode(200)
                .body("$", not(hasKey("secret")))
                .body("secretHint", equalTo(secret.substring(0, 4)));
    }

    @Test
    void createTwoTokensWithoutSecretThenTheirGeneratedSecretsDiffer() {
        String first = createToken(json("name", unique("a"))).then().statusCode(201).extract().path("secret");
        String second = createToken(json("name", unique("b"))).then().statusCode(201).extract().path("secret");
        assertThat(first, not(equalTo(second)));
    }

    @Test
    void createTokenWithAllFieldsThenTheyAreStored() {
        String id = createToken(json("name", unique("full"), "isDisabled", true, "expiresAt", "2999-01-02T03:04:05Z",
                "rateLimit", json("limit", 5, "window", "PT1M"))).then()
                .statusCode(201)
                .extract().path("id");

        asAdmin().get(TOKENS + "/" + id).then().statusCode(200)
                .body("isDisabled", equalTo(true))
                .body("expiresAt", equalTo("2999-01-02T03:04:05Z"))
                .body("rateLimit.limit", equalTo(5))
                .body("rateLimit.window", equalTo("PT1M"));
    }

    @Test
    void createTokenWhenNameTakenCaseInsensitivelyThen409NameInUse() {
        String name = unique("Taken");
        tokenNamed(name);

        problem(createToken(json("name", name.toUpperCase())), 409, "NameInUse");
        problem(createToken(json("name", name.toLowerCase())), 409, "NameInUse");
    }

    @Test
    void createTokenWithNameOfDeletedTokenThen201() {
        String name = unique("reuse");
        String id = tokenNamed(name);
        asAdmin().delete(TOKENS + "/" + id).then().statusCode(204);

        createToken(json("name", name)).then().statusCode(201).body("id", not(equalTo(id)));
    }

    @Test
    void createTokenWithSecretOfAnotherTokenThen400InvalidSecret() {
        String secret = secret(48);
        createToken(json("name", unique("first"), "secret", secret)).then().statusCode(201);

        problem(createToken(json("name", unique("second"), "secret", secret)), 400, "InvalidSecret");
    }

    // ---- get

    @Test
    void getTokenThen200WithStrongEtagOfItsVersion() {
        String name = unique("get");
        String id = tokenNamed(name);

        asAdmin().get(TOKENS + "/" + id).then()
                .statusCode(200)
                .header("ETag", "\"1\"")
                .body("id", equalTo(id))
                .body("name", equalTo(name))
                .body("version", equalTo(1))
                .body("$", not(hasKey("secret")))
                .body("$", not(hasKey("secretHash")))
                .body("$", not(hasKey("lookupTag")));
    }

    @Test
    void getTokenWhenUnknownThen404NotFound() {
        String id = UUID.randomUUID().toString();
        problem(asAdmin().get(TOKENS + "/" + id), 404, "NotFound", id);
    }

    // ---- patch

    @Test
    void patchTokenWithMergePatchMediaTypeThen200AndVersionIncreases() {
        String id = newToken();

        asAdmin().contentType("application/merge-patch+json").body(json("isDisabled", true))
                .patch(TOKENS + "/" + id).then()
                .statusCode(200)
                .header("ETag", "\"2\"")
                .body("isDisabled", equalTo(true))
                .body("version", equalTo(2));
        asAdmin().get(TOKENS + "/" + id).then().body("isDisabled", equalTo(true));
    }

    @Test
    void patchTokenWithApplicationJsonThen200() {
        String id = newToken();

        asAdmin().contentType(ContentType.JSON).body(json("rateLimit", json("limit", 3, "window", "PT10S")))
                .patch(TOKENS + "/" + id).then()
                .statusCode(200)
                .body("rateLimit.limit", equalTo(3))
                .body("rateLimit.window", equalTo("PT10S"));
    }

    @Test
    void patchTokenWithOnlySomeFieldsThenOthersKeepTheirValues() {
        String name = unique("keep");
        String id = createToken(json("name", name, "rateLimit", json("limit", 7, "window", "PT1H"))).then()
                .statusCode(201).extract().path("id");

        asAdmin().body(json("isDisabled", true)).patch(TOKENS + "/" + id).then()
                .statusCode(200)
                .body("name", equalTo(name))
                .body("rateLimit.limit", equalTo(7))
                .body("rateLimit.window", equalTo("PT1H"));
    }

    @Test
    void patchTokenThenIsDisabledFalseReenables() {
        String id = createToken(json("name", unique("re"), "isDisabled", true)).then().statusCode(201).extract().path("id");

        asAdmin().body(json("isDisabled", false)).patch(TOKENS + "/" + id).then()
                .statusCode(200).body("isDisabled", equalTo(false));
    }

    @Test
    void patchTokenWithRateLimitNullThenLimitIsCleared() {
        String id = createToken(json("name", unique("rl"), "rateLimit", json("limit", 5, "window", "PT1M"))).then()
                .statusCode(201).extract().path("id");

        asAdmin().body(json("rateLimit", null)).patch(TOKENS + "/" + id).then()
                .statusCode(200).body("rateLimit", nullValue());
        asAdmin().get(TOKENS + "/" + id).then().body("rateLimit", nullValue());
    }

    /** RFC 7396: a nested object merges, so one member of rateLimit changes and the other stays. */
    @Test
    void patchTokenWithOneMemberOfRateLimitThenItMergesOntoTheCurrentLimit() {
        String id = createToken(json("name", unique("rl"), "rateLimit", json("limit", 5, "window", "PT1M"))).then()
                .statusCode(201).extract().path("id");

        asAdmin().body(json("rateLimit", json("limit", 9))).patch(TOKENS + "/" + id).then()
                .statusCode(200).body("rateLimit.limit", equalTo(9)).body("rateLimit.window", equalTo("PT1M"));
        asAdmin().body(json("rateLimit", json("window", "PT1H"))).patch(TOKENS + "/" + id).then()
                .statusCode(200).body("rateLimit.limit", equalTo(9)).body("rateLimit.window", equalTo("PT1H"));
        asAdmin().get(TOKENS + "/" + id).then().body("rateLimit.limit", equalTo(9)).body("rateLimit.window", equalTo("PT1H"));
    }

    @Test
    void patchTokenWithAnIncompleteOrNullMemberOfRateLimitThen400InvalidRateLimitAndNothingChanges() {
        String unlimited = newToken();
        problem(asAdmin().body(json("rateLimit", json("window", "PT1M"))).patch(TOKENS + "/" + unlimited),
                400, "InvalidRateLimit", unlimited).body("errors[0].message", containsString("limit is required"));
        problem(asAdmin().body(json("rateLimit", json("limit", 5))).patch(TOKENS + "/" + unlimited),
                400, "InvalidRateLimit", unlimited).body("errors[0].message", containsString("window is required"));
        asAdmin().get(TOKENS + "/" + unlimited).then().body("rateLimit", nullValue());

        String limited = createToken(json("name", unique("rl"), "rateLimit", json("limit", 5, "window", "PT1M"))).then()
                .statusCode(201).extract().path("id");
        problem(asAdmin().body(json("rateLimit", json("limit", 5, "window", null))).patch(TOKENS + "/" + limited),
                400, "InvalidRateLimit", limited);
        problem(asAdmin().body(json("rateLimit", json("window", "PT0.5S"))).patch(TOKENS + "/" + limited),
                400, "InvalidRateLimit", limited);
        asAdmin().get(TOKENS + "/" + limited).then().body("rateLimit.limit", equalTo(5)).body("rateLimit.window", equalTo("PT1M"));
    }

    @Test
    void patchTokenRenamedToCaseVariantOfItsOwnNameThen200() {
        String name = unique("case");
        String id = tokenNamed(name);

        asAdmin().body(json("name", name.toUpperCase())).patch(TOKENS + "/" + id).then()
                .statusCode(200).body("name", equalTo(name.toUpperCase()));
    }

    @Test
    void patchTokenRenamedToNameOfAnotherTokenThen409NameInUse() {
        String taken = unique("other");
        tokenNamed(taken);
        String id = newToken();

        problem(asAdmin().body(json("name", taken.toLowerCase())).patch(TOKENS + "/" + id), 409, "NameInUse", id);
    }

    @Test
    void patchTokenWithInvalidNameThen400InvalidNameWithItsId() {
        String id = newToken();
        problem(asAdmin().body(json("name", "no spaces")).patch(TOKENS + "/" + id), 400, "InvalidName", id);
        problem(asAdmin().body(json("name", null)).patch(TOKENS + "/" + id), 400, "InvalidName", id);
    }

    @Test
    void patchTokenWithExpiresAtThen400InvalidExpiry() {
        String id = newToken();
        problem(asAdmin().body(json("expiresAt", "2999-01-01T00:00:00Z")).patch(TOKENS + "/" + id),
                400, "InvalidExpiry", id);
        problem(asAdmin().body(json("expiresAt", null)).patch(TOKENS + "/" + id), 400, "InvalidExpiry", id);
    }

    @Test
    void patchTokenWithInvalidRateLimitThen400InvalidRateLimitWithItsId() {
        String id = newToken();
        problem(asAdmin().body(json("rateLimit", json("limit", 0, "window", "PT1M"))).patch(TOKENS + "/" + id),
                400, "InvalidRateLimit", id);
    }

    @Test
    void patchTokenWhenIfMatchIsStaleThen412VersionMismatch() {
        String id = newToken();
        asAdmin().body(json("isDisabled", true)).patch(TOKENS + "/" + id).then().statusCode(200);

        problem(asAdmin().header("If-Match", etag(1)).body(json("isDisabled", false)).patch(TOKENS + "/" + id),
                412, "VersionMismatch", id);
        asAdmin().get(TOKENS + "/" + id).then().body("isDisabled", equalTo(true)).body("version", equalTo(2));
    }

    @Test
    void patchTokenWhenIfMatchIsCurrentThen200AndVersionPlusOne() {
        String id = newToken();
        String current = asAdmin().get(TOKENS + "/" + id).then().extract().header("ETag");

        asAdmin().header("If-Match", current).body(json("isDisabled", true)).patch(TOKENS + "/" + id).then()
                .statusCode(200)
                .header("ETag", etag(2))
                .body("version", equalTo(2));
    }

    @Test
    void patchTokenWhenUnknownThen404NotFound() {
        String id = UUID.randomUUID().toString();
        problem(asAdmin().body(json("isDisabled", true)).patch(TOKENS + "/" + id), 404, "NotFound", id);
    }

    @Test
    void patchTokenWithSecretThenSecretChangesAndIsNotReturned() {
        String id = newToken();
        String secret = secret(33);

        asAdmin().body(json("secret", secret)).patch(TOKENS + "/" + id).then()
                .statusCode(200)
                .body("secretHint", equalTo(secret.substring(0, 4)))
                .body("$", not(hasKey("secret")));
    }

    @Test
    void patchTokenWithInvalidSecretThen400InvalidSecretWithItsId() {
        String id = newToken();
        problem(asAdmin().body(json("secret", "short")).patch(TOKENS + "/" + id), 400, "InvalidSecret", id);
        problem(asAdmin().body(json("secret", null)).patch(TOKENS + "/" + id), 400, "InvalidSecret", id);
    }

    // ---- rotate

    @Nested
    class Rotate {

        @Test
        void rotateWithoutBodyThenNewGeneratedSecretReturnedOnceAndOldSecretReleased() {
            String oldSecret = secret(40);
            String id = createToken(json("name", unique("rot"), "secret", oldSecret)).then()
                    .statusCode(201).extract().path("id");

            ExtractableResponse<Response> rotated = asAdmin().post(TOKENS + "/" + id + "/rotate").then()
                    .statusCode(200)
                    .header("ETag", etag(2))
                    .body("id", equalTo(id))
                    .body("version", equalTo(2))
                    .extract();
            String newSecret = rotated.path("secret");
            assertValidSecret(newSecret);
            assertThat(newSecret, not(equalTo(oldSecret)));
            assertThat(rotated.path("secretHint"), equalTo(newSecret.substring(0, 4)));
            asAdmin().get(TOKENS + "/" + id).then().body("$", not(hasKey("secret")))
                    .body("secretHint", equalTo(newSecret.substring(0, 4)));

            // no trigger endpoint yet: the old secret no longer belongs to any token, so it is free again,
            // while the new one is taken
            createToken(json("name", unique("old"), "secret", oldSecret)).then().statusCode(201);
            problem(createToken(json("name", unique("new"), "secret", newSecret)), 400, "InvalidSecret");
        }

        @Test
        void rotateWithGivenSecretThenThatSecretIsReturned() {
            String id = newToken();
            String secret = secret(64);

            asAdmin().body(json("secret", secret)).post(TOKENS + "/" + id + "/rotate").then()
                    .statusCode(200)
                    .body("secret", equalTo(secret))
                    .body("secretHint", equalTo(secret.substring(0, 4)));
        }

        @Test
        void rotateWithSecretOfAnotherTokenThen400InvalidSecret() {
            String secret = secret(40);
            createToken(json("name", unique("holder"), "secret", secret)).then().statusCode(201);
            String id = newToken();

            problem(asAdmin().body(json("secret", secret)).post(TOKENS + "/" + id + "/rotate"), 400, "InvalidSecret", id);
        }

        @Test
        void rotateWithInvalidSecretThen400InvalidSecret() {
            String id = newToken();
            problem(asAdmin().body(json("secret", secret(31))).post(TOKENS + "/" + id + "/rotate"),
                    400, "InvalidSecret", id);
        }

        @Test
        void rotateWhenUnknownThen404NotFound() {
            String id = UUID.randomUUID().toString();
            problem(asAdmin().post(TOKENS + "/" + id + "/rotate"), 404, "NotFound", id);
        }
    }

    // ---- delete and revoke

    @Test
    void deleteTokenThen204AndItIsGone() {
        String id = newToken();

        asAdmin().delete(TOKENS + "/" + id).then().statusCode(204);
        problem(asAdmin().get(TOKENS + "/" + id), 404, "NotFound", id);
        problem(asAdmin().delete(TOKENS + "/" + id), 404, "NotFound", id);
    }

    @Test
    void deleteTokenWhenIfMatchIsStaleThen412VersionMismatch() {
        String id = newToken();
        problem(asAdmin().header("If-Match", etag(7)).delete(TOKENS + "/" + id), 412, "VersionMismatch", id);
        asAdmin().header("If-Match", etag(1)).delete(TOKENS + "/" + id).then().statusCode(204);
    }

    @Test
    void deleteTokenWhenAllowedByDefinitionsThen409TokenInUseWithTheirIds() {
        String id = newToken();
        String first = definitionOf(uniqueSegment("use") + "/a", id);
        String second = definitionOf(uniqueSegment("use") + "/b", id);

        problem(asAdmin().delete(TOKENS + "/" + id), 409, "TokenInUse", id)
                .body("errors[0].apiDefinitionIdLinks", org.hamcrest.Matchers.containsInAnyOrder(first, second));
        asAdmin().get(TOKENS + "/" + id).then().statusCode(200);
    }

    @Test
    void revokeThenDeletesFreeTokensAndReportsInUseAndUnknownOnes() {
        String free = newToken();
        String used = newToken();
        String definition = definitionOf(uniqueSegment("rev"), used);
        String unknown = UUID.randomUUID().toString();

        asAdmin().body(json("ids", List.of(free, used, unknown))).post(TOKENS + "/revoke").then()
                .statusCode(200)
                .body("results.id", contains(free, used, unknown))
                .body("results.status", contains("deleted", "inUse", "notFound"))
                .body("results[0]", aMapWithSize(2))
                .body("results[1].apiDefinitionIdLinks", contains(definition))
                .body("results[2]", aMapWithSize(2));

        problem(asAdmin().get(TOKENS + "/" + free), 404, "NotFound", free);
        asAdmin().get(TOKENS + "/" + used).then().statusCode(200);
    }

    @Test
    void revokeWithNoIdsThen200WithNoResults() {
        asAdmin().body(json("ids", List.of())).post(TOKENS + "/revoke").then()
                .statusCode(200).body("results", org.hamcrest.Matchers.empty());
    }

    @Test
    void listedTokenHasNoSecret() {
        String name = unique("nosecret");
        tokenNamed(name);
        asAdmin().queryParam("name", name).get(TOKENS).then()
                .statusCode(200)
                .body("items[0].name", equalTo(name))
                .body("items[0]", not(hasKey("secret")));
    }
}
