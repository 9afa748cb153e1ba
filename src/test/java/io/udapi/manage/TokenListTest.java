package io.udapi.manage;

import static io.udapi.manage.AdminApi.TOKENS;
import static io.udapi.manage.AdminApi.as;
import static io.udapi.manage.AdminApi.asAdmin;
import static io.udapi.manage.AdminApi.createToken;
import static io.udapi.manage.AdminApi.createUser;
import static io.udapi.manage.AdminApi.json;
import static io.udapi.manage.AdminApi.problem;
import static io.udapi.manage.AdminApi.tokenNamed;
import static io.udapi.manage.AdminApi.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.quarkus.test.junit.QuarkusTest;
import io.udapi.user.Permission;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code GET /admin/v1/tokens}: filters, sorting and paging. Every test narrows the shared store down to
 * its own tokens with a unique name prefix.
 */
@QuarkusTest
class TokenListTest {

    @Inject
    TestClock clock;

    @Test
    void listTokensThenItemsAndTotal() {
        asAdmin().get(TOKENS).then()
                .statusCode(200)
                .body("total", greaterThanOrEqualTo(0))
                .body("items", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void listTokensFilteredByNameThenSubstringMatchesCaseInsensitively() {
        String prefix = unique("Flt");
        tokenNamed(prefix + "-Alpha");
        tokenNamed(prefix + "-beta");

        asAdmin().queryParam("name", prefix.toLowerCase() + "-ALP").get(TOKENS).then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items.name", contains(prefix + "-Alpha"));
        asAdmin().queryParam("name", prefix.toUpperCase().substring(1)).get(TOKENS).then()
                .body("total", equalTo(2));
    }

    @Test
    void listTokensFilteredByIsDisabledThenOnlyMatchingOnes() {
        String prefix = unique("dis");
        createToken(json("name", prefix + "-off", "isDisabled", true)).then().statusCode(201);
        tokenNamed(prefix + "-on");

        asAdmin().queryParam("name", prefix).queryParam("isDisabled", "true").get(TOKENS).then()
                .statusCode(200).body("items.name", contains(prefix + "-off"));
        asAdmin().queryParam("name", prefix).queryParam("isDisabled", "false").get(TOKENS).then()
                .statusCode(200).body("items.name", contains(prefix + "-on"));
    }

    @Test
    void listTokensFilteredByExpiredThenTokensWithoutExpiryAreNeverExpired() {
        String prefix = unique("exp");
        createToken(json("name", prefix + "-soon", "expiresAt", clock.instant().plus(Duration.ofHours(1)).toString()))
                .then().statusCode(201);
        createToken(json("name", prefix + "-later", "expiresAt", "2999-01-01")).then().statusCode(201);
        tokenNamed(prefix + "-never");

        asAdmin().queryParam("name", prefix).queryParam("expired", "true").get(TOKENS).then()
                .body("total", equalTo(0));

        clock.advance(Duration.ofHours(2)); // on the test clock only: real seconds under load never decide

        asAdmin().queryParam("name", prefix).queryParam("expired", "true").get(TOKENS).then()
                .statusCode(200).body("items.name", contains(prefix + "-soon"));
        asAdmin().queryParam("name", prefix).queryParam("expired", "false").get(TOKENS).then()
                .statusCode(200).body("items.name", contains(prefix + "-later", prefix + "-never"));
    }

    @Test
    void listTokensFilteredByCreatedByThenOnlyThatAdminsTokens() {
        String user = createUser(Permission.TOKENS_READ, Permission.TOKENS_WRITE);
        String prefix = unique("by");
        as(user).body(json("name", prefix + "-mine")).post(TOKENS).then().statusCode(201);
        tokenNamed(prefix + "-admins");

        as(user).queryParam("createdBy", user).get(TOKENS).then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items.name", contains(prefix + "-mine"))
                .body("items.createdBy", everyItem(equalTo(user)));
        asAdmin().queryParam("name", prefix).queryParam("createdBy", "admin").get(TOKENS).then()
                .body("items.name", contains(prefix + "-admins"));
    }

    @Test
    void listTokensThenSortedByNameByDefaultAndDescendingWithMinus() {
        String prefix = unique("srt");
        tokenNamed(prefix + "-b");
        tokenNamed(prefix + "-C");
        tokenNamed(prefix + "-a");

        asAdmin().queryParam("name", prefix).get(TOKENS).then()
                .body("items.name", contains(prefix + "-a", prefix + "-b", prefix + "-C"));
        asAdmin().queryParam("name", prefix).queryParam("sort", "name").get(TOKENS).then()
                .body("items.name", contains(prefix + "-a", prefix + "-b", prefix + "-C"));
        asAdmin().queryParam("name", prefix).queryParam("sort", "-name").get(TOKENS).then()
                .body("items.name", contains(prefix + "-C", prefix + "-b", prefix + "-a"));
    }

    @Test
    void listTokensSortedByCreatedAtThenInCreationOrder() {
        String prefix = unique("crt");
        tokenNamed(prefix + "-z");
        clock.advance(Duration.ofMillis(5));
        tokenNamed(prefix + "-y");

        asAdmin().queryParam("name", prefix).queryParam("sort", "createdAt").get(TOKENS).then()
                .statusCode(200).body("items.name", contains(prefix + "-z", prefix + "-y"));
        asAdmin().queryParam("name", prefix).queryParam("sort", "-createdAt").get(TOKENS).then()
                .statusCode(200).body("items.name", contains(prefix + "-y", prefix + "-z"));
    }

    @Test
    void listTokensSortedByVersionThenTheLeastChangedFirst() {
        String prefix = unique("ver");
        String changed = tokenNamed(prefix + "-changed");
        tokenNamed(prefix + "-new");
        asAdmin().contentType("application/merge-patch+json").body(json("isDisabled", true)).patch(TOKENS + "/" + changed)
                .then().statusCode(200);

        asAdmin().queryParam("name", prefix).queryParam("sort", "version").get(TOKENS).then()
                .statusCode(200).body("items.name", contains(prefix + "-new", prefix + "-changed"));
        asAdmin().queryParam("name", prefix).queryParam("sort", "-version").get(TOKENS).then()
                .statusCode(200).body("items.name", contains(prefix + "-changed", prefix + "-new"));
        asAdmin().queryParam("name", prefix).queryParam("sort", "secretHint").get(TOKENS).then().statusCode(200);
    }

    @Test
    void listTokensWithPageAndSizeThenThatSliceAndTheFullTotal() {
        String prefix = unique("pg");
        for (String suffix : new String[] {"a", "b", "c", "d", "e"}) {
            tokenNamed(prefix + "-" + suffix);
        }

        asAdmin().queryParam("name", prefix).queryParam("size", 2).get(TOKENS).then()
                .body("total", equalTo(5)).body("items.name", contains(prefix + "-a", prefix + "-b"));
        asAdmin().queryParam("name", prefix).queryParam("size", 2).queryParam("page", 2).get(TOKENS).then()
                .body("total", equalTo(5)).body("items.name", contains(prefix + "-e"));
        asAdmin().queryParam("name", prefix).queryParam("size", 2).queryParam("page", 3).get(TOKENS).then()
                .statusCode(200).body("total", equalTo(5)).body("items", empty());
        asAdmin().queryParam("name", prefix).queryParam("size", 1000).get(TOKENS).then()
                .statusCode(200).body("total", equalTo(5));
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("size 1001 (over the maximum)", Map.of("size", "1001")),
                Arguments.of("size 0", Map.of("size", "0")),
                Arguments.of("size not a number", Map.of("size", "ten")),
                Arguments.of("page -1", Map.of("page", "-1")),
                Arguments.of("page not a number", Map.of("page", "first")),
                Arguments.of("sort by an unknown field", Map.of("sort", "colour")),
                Arguments.of("sort descending by an unknown field", Map.of("sort", "-colour")),
                Arguments.of("sort by the write-only secret", Map.of("sort", "secret")),
                Arguments.of("isDisabled not a boolean", Map.of("isDisabled", "yes")),
                Arguments.of("expired not a boolean", Map.of("expired", "1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badQueries")
    void listTokensWithBadQueryParameterThen400MalformedRequest(String label, Map<String, String> query) {
        problem(asAdmin().queryParams(query).get(TOKENS), 400, "MalformedRequest");
    }
}
