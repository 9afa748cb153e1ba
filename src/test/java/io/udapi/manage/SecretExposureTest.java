package io.udapi.manage;

import static io.udapi.manage.AdminApi.EVENTS;
import static io.udapi.manage.AdminApi.ME;
import static io.udapi.manage.AdminApi.TOKENS;
import static io.udapi.manage.AdminApi.USERS;
import static io.udapi.manage.AdminApi.asAdmin;
import static io.udapi.manage.AdminApi.createToken;
import static io.udapi.manage.AdminApi.json;
import static io.udapi.manage.AdminApi.secret;
import static io.udapi.manage.AdminApi.unique;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/concepts.md, "Tokens", and docs/api.md: a secret is shown once (in the answer to its create or rotation) and a password never;
 * neither, nor their hashes, appears in any later answer or in an audit event. Checked on raw bodies.
 */
@QuarkusTest
class SecretExposureTest {

    @Test
    void tokenSecretsAppearOnlyInTheAnswersThatSetThem() {
        String name = unique("exposed");
        String first = secret(40);
        String id = createToken(json("name", name, "secret", first)).then().statusCode(201)
                .body("secret", equalTo(first)).extract().path("id");
        String rotated = asAdmin().post(TOKENS + "/" + id + "/rotate").then().statusCode(200)
                .extract().path("secret");
        String patched = secret(50);

        List<String> later = new ArrayList<>();
        later.add(asAdmin().body(json("secret", patched)).patch(TOKENS + "/" + id).then().statusCode(200)
                .extract().asString());
        later.add(asAdmin().body(json("isDisabled", true)).patch(TOKENS + "/" + id).then().statusCode(200)
                .extract().asString());
        later.add(asAdmin().get(TOKENS + "/" + id).then().statusCode(200).extract().asString());
        later.add(asAdmin().queryParam("name", name).get(TOKENS).then().statusCode(200).extract().asString());
        later.add(asAdmin().get(TOKENS).then().statusCode(200).extract().asString());
        later.add(asAdmin().queryParam("objectId", id).get(EVENTS).then().statusCode(200).extract().asString());
        later.add(asAdmin().queryParam("limit", 1000).get(EVENTS).then().statusCode(200).extract().asString());
        // a refusal about a secret must not echo it either
        later.add(createToken(json("name", unique("dup"), "secret", patched)).then().statusCode(400)
                .extract().asString());

        for (String body : later) {
            for (String secret : List.of(first, rotated, patched)) {
                assertThat(body, not(containsString(secret)));
            }
            assertThat(body, not(containsString("\"secret\"")));
            assertThat(body, not(containsString("$argon2")));
            assertThat(body, not(containsString("lookupTag")));
        }
    }

    @Test
    void passwordsNeverAppearInAnswersOrEvents() {
        String name = unique("pwuser");
        String password = "first-password-" + secret(12);
        String changed = "second-password-" + secret(12);

        List<String> bodies = new ArrayList<>();
        bodies.add(asAdmin().body(json("name", name, "password", password, "permissions", List.of("events.read")))
                .post(USERS).then().statusCode(201).extract().asString());
        bodies.add(asAdmin().body(json("password", changed)).patch(USERS + "/" + name).then().statusCode(200)
                .extract().asString());
        bodies.add(asAdmin().body(json("password", "short")).patch(USERS + "/" + name).then().statusCode(400)
                .extract().asString());
        bodies.add(asAdmin().get(USERS + "/" + name).then().statusCode(200).extract().asString());
        bodies.add(asAdmin().get(USERS).then().statusCode(200).extract().asString());
        bodies.add(AdminApi.as(name, changed).get(ME).then().statusCode(200).extract().asString());
        bodies.add(asAdmin().get(ME).then().statusCode(200).extract().asString());
        bodies.add(asAdmin().queryParam("objectId", name).get(EVENTS).then().statusCode(200).extract().asString());
        bodies.add(asAdmin().queryParam("limit", 1000).get(EVENTS).then().statusCode(200).extract().asString());

        for (String body : bodies) {
            for (String secret : List.of(password, changed, AdminApi.ADMIN_PASSWORD)) {
                assertThat(body, not(containsString(secret)));
            }
            assertThat(body, not(containsString("password\"")));
            assertThat(body, not(containsString("$argon2")));
        }
    }

    /** A client that forgets the quotes of a secret or a password gets where the JSON breaks, not its value back. */
    @Test
    void unquotedSecretOrPasswordThen400WithoutItInTheAnswer() {
        String secret = secret(40);
        String password = "unquoted-password-" + secret(12);
        for (String[] write : new String[][] {
                {TOKENS, "{\"name\":\"" + unique("unq") + "\",\"secret\": " + secret + "}", secret},
                {USERS, "{\"name\":\"" + unique("unq") + "\",\"password\": " + password + "}", password}}) {
            String body = asAdmin().body(write[1]).post(write[0]).then().statusCode(400)
                    .body("errors[0].reason", equalTo("MalformedRequest"))
                    .body("errors[0].message", containsString("not valid JSON (line 1, column"))
                    .extract().asString();
            assertThat(body, not(containsString(write[2])));
            assertThat(body, not(containsString(write[2].substring(0, 12))));
        }
    }

    /** Answers of the management API are never stored by a browser or a proxy cache, the secret's least of all. */
    @Test
    void everyManagementAnswerSaysNoStoreTheCreatedSecretsFirst() {
        createToken(json("name", unique("nostore"))).then().statusCode(201).header("Cache-Control", equalTo("no-store"));
        asAdmin().get(TOKENS).then().statusCode(200).header("Cache-Control", equalTo("no-store"));
        AdminApi.anonymous().get(ME).then().statusCode(401).header("Cache-Control", equalTo("no-store"));
    }
}
