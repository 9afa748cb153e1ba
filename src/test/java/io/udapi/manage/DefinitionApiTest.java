package io.udapi.manage;

import static io.udapi.manage.AdminApi.DEFINITIONS;
import static io.udapi.manage.AdminApi.asAdmin;
import static io.udapi.manage.AdminApi.createDefinition;
import static io.udapi.manage.AdminApi.definition;
import static io.udapi.manage.AdminApi.definitionOf;
import static io.udapi.manage.AdminApi.etag;
import static io.udapi.manage.AdminApi.json;
import static io.udapi.manage.AdminApi.newDefinition;
import static io.udapi.manage.AdminApi.newToken;
import static io.udapi.manage.AdminApi.problem;
import static io.udapi.manage.AdminApi.repeat;
import static io.udapi.manage.AdminApi.uniqueSegment;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /admin/v1/definitions}: CRUD, the rules of docs/concepts.md, "Definitions", filters and sorting. */
@QuarkusTest
class DefinitionApiTest {

    // ---- create and get

    @Test
    void createDefinitionThen201WithDefaultsLocationAndEtag() {
        String token = newToken();
        String route = uniqueSegment("new") + "/{id}/status";

        ExtractableResponse<Response> created = createDefinition(definition(route, token)).then()
                .statusCode(201)
                .header("ETag", "\"1\"")
                .body("route", equalTo(route))
                .body("allowedTokens", contains(token))
                .body("actionType", equalTo("AutomationScript"))
                .body("actionMeta.scriptName", equalTo("script.sh"))
                .body("actionMeta.inputType", equalTo("RawBody"))
                .body("name", nullValue())
                .body("description", nullValue())
                .body("createdBy", equalTo("admin"))
                .body("version", equalTo(1))
                .extract();
        String id = created.path("id");
        UUID.fromString(id);
        assertThat(created.header("Location"), endsWith("/admin/v1/definitions/" + id));

        asAdmin().get(DEFINITIONS + "/" + id).then()
                .statusCode(200)
                .header("ETag", "\"1\"")
                .body("id", equalTo(id))
                .body("route", equalTo(route));
    }

    @Test
    void createDefinitionWithEveryFieldThenStored() {
        String route = uniqueSegment("full");
        createDefinition(json("name", "Ticket status", "description", "Reports a ticket's status", "route", route,
                        "allowedTokens", List.of(), "actionType", "AutomationScript",
                        "actionMeta", json("scriptName", "status.py", "inputType", "Parameters"))).then()
                .statusCode(201)
                .body("name", equalTo("Ticket status"))
                .body("description", equalTo("Reports a ticket's status"))
                .body("allowedTokens", empty())
                .body("actionMeta.inputType", equalTo("Parameters"));
    }

    @Test
    void createDefinitionWithNoEntryPointThenNoInputType() {
        createDefinition(json("route", uniqueSegment("run"), "actionType", "AutomationScriptNoEntryPoint",
                        "actionMeta", json("scriptName", "run.sh"))).then()
                .statusCode(201)
                .body("actionType", equalTo("AutomationScriptNoEntryPoint"))
                .body("actionMeta", not(hasKey("inputType")));
    }

    @Test
    void getDefinitionWhenUnknownThen404NotFound() {
        String id = UUID.randomUUID().toString();
        problem(asAdmin().get(DEFINITIONS + "/" + id), 404, "NotFound", id);
    }

    // ---- route

    static Stream<Arguments> invalidRoutes() {
        return Stream.of(
                Arguments.of("blank", "   "),
                Arguments.of("a leading slash", "/tickets"),
                Arguments.of("a trailing slash", "tickets/"),
                Arguments.of("an empty segment", "tickets//status"),
                Arguments.of("only a slash", "/"),
                Arguments.of("201 characters", repeat('r', 201)),
                Arguments.of("a '?'", "tickets?x=1"),
                Arguments.of("a '#'", "tickets#top"),
                Arguments.of("a '*'", "tickets/*"),
                Arguments.of("a ':'", "tickets:list"),
                Arguments.of("a '<'", "tickets<"),
                Arguments.of("a '>'", "tickets>"),
                Arguments.of("a backslash", "tickets\\status"),
                Arguments.of("a space", "ticket status"),
                Arguments.of("a tab", "ticket\tstatus"),
                Arguments.of("a placeholder inside a segment", "do{x}"),
                Arguments.of("a placeholder followed by text", "{id}-details"),
                Arguments.of("a placeholder name starting with a digit", "tickets/{1id}"),
                Arguments.of("an empty placeholder", "tickets/{}"),
                Arguments.of("an unclosed placeholder", "tickets/{id"),
                Arguments.of("a repeated placeholder name", "{id}/x/{id}"),
                // request paths are normalised before matching: these could never be reached
                Arguments.of("a '.' segment", "v1/./status"),
                Arguments.of("a '..' segment", "a/../b"),
                Arguments.of("a leading '..' segment", "../b"),
                Arguments.of("a lone '.'", "."));
    }

    @Test
    void createDefinitionWhenASegmentOnlyStartsWithDotsThen201() {
        String route = "dots-" + System.nanoTime() + "/.../.well-known";
        createDefinition(definition(route)).then().statusCode(201).body("route", equalTo(route));
    }

    @ParameterizedTest(name = "route with {0}")
    @MethodSource("invalidRoutes")
    void createDefinitionWhenRouteInvalidThen400InvalidRouteNamingIt(String label, String route) {
        problem(createDefinition(definition(route)), 400, "InvalidRoute")
                .body("errors[0].route", equalTo(route));
    }

    @Test
    void createDefinitionWhenRouteMissingThen400InvalidRoute() {
        problem(createDefinition(json("actionMeta", json("scriptName", "s.sh"))), 400, "InvalidRoute")
                .body("errors[0]", hasKey("route"))
                .body("errors[0].route", nullValue());
    }

    @Test
    void createDefinitionWhenRouteEmptyThen400InvalidRoute() {
        problem(createDefinition(definition("")), 400, "InvalidRoute");
    }

    @Test
    void createDefinitionWithRouteOf200CharactersThen201() {
        String segment = uniqueSegment("long");
        String route = segment + "/" + repeat('r', 200 - segment.length() - 1);
        createDefinition(definition(route)).then().statusCode(201).body("route", equalTo(route));
    }

    @Test
    void createDefinitionWhenRouteConflictsIgnoringCaseAndPlaceholderNamesThen409RouteInUse() {
        String segment = uniqueSegment("ticket");
        String first = definitionOf(segment + "/{id}");
        String conflicting = segment.toUpperCase() + "/{ticketId}";

        problem(createDefinition(definition(conflicting)), 409, "RouteInUse")
                .body("errors[0].conflictingDefinitionId", equalTo(first))
                .body("errors[0].route", equalTo(conflicting));
    }

    @Test
    void createDefinitionsWhoseRoutesDifferInLiteralOrPlaceholderPositionThenBoth201() {
        String segment = uniqueSegment("foo");
        definitionOf(segment + "/bar");
        definitionOf(segment + "/{x}");
        definitionOf("{y}/" + segment);
        definitionOf(segment + "/bar/{z}");
    }

    @Test
    void patchDefinitionWhenNewRouteConflictsThen409RouteInUseWithItsId() {
        String segment = uniqueSegment("pc");
        String existing = definitionOf(segment + "/{a}");
        String id = definitionOf(segment + "/fixed");

        problem(asAdmin().body(json("route", segment + "/{b}")).patch(DEFINITIONS + "/" + id), 409, "RouteInUse", id)
                .body("errors[0].conflictingDefinitionId", equalTo(existing))
                .body("errors[0].route", equalTo(segment + "/{b}"));
    }

    @Test
    void patchDefinitionKeepingItsOwnRouteInAnotherCaseThen200() {
        String route = uniqueSegment("own") + "/{id}";
        String id = definitionOf(route);
        asAdmin().body(json("route", route.toUpperCase().replace("{ID}", "{other}")))
                .patch(DEFINITIONS + "/" + id).then().statusCode(200);
    }

    @Test
    void createDefinitionAfterConflictingOneDeletedThen201() {
        String route = uniqueSegment("gone") + "/{id}";
        String id = definitionOf(route);
        asAdmin().delete(DEFINITIONS + "/" + id).then().statusCode(204);
        definitionOf(route);
    }

    // ---- tokens

    @Test
    void createDefinitionWithUnknownTokensThen400UnknownTokenListingThem() {
        String known = newToken();
        String unknown1 = UUID.randomUUID().toString();
        String unknown2 = UUID.randomUUID().toString();

        problem(createDefinition(definition(uniqueSegment("unk"), known, unknown1, unknown2)), 400, "UnknownToken")
                .body("errors[0].tokenIds", containsInAnyOrder(unknown1, unknown2));
    }

    @Test
    void patchDefinitionWithUnknownTokenThen400UnknownTokenWithItsId() {
        String id = newDefinition();
        String unknown = UUID.randomUUID().toString();
        problem(asAdmin().body(json("allowedTokens", List.of(unknown))).patch(DEFINITIONS + "/" + id),
                400, "UnknownToken", id)
                .body("errors[0].tokenIds", contains(unknown));
    }

    // ---- action meta

    static Stream<Arguments> invalidActionMetas() {
        return Stream.of(
                Arguments.of("missing actionMeta", null, null),
                Arguments.of("actionMeta null", "AutomationScript", "null"),
                Arguments.of("no scriptName", "AutomationScript", json()),
                Arguments.of("empty scriptName", "AutomationScript", json("scriptName", "")),
                Arguments.of("scriptName ../x (leaves the directory)", "AutomationScript", json("scriptName", "../x")),
                Arguments.of("scriptName .hidden", "AutomationScript", json("scriptName", ".hidden")),
                Arguments.of("scriptName with a slash", "AutomationScript", json("scriptName", "dir/x.sh")),
                Arguments.of("scriptName with a space", "AutomationScript", json("scriptName", "my script")),
                Arguments.of("scriptName of 129 characters", "AutomationScript", json("scriptName", repeat('s', 129))),
                Arguments.of("inputType on AutomationScriptNoEntryPoint", "AutomationScriptNoEntryPoint",
                        json("scriptName", "run.sh", "inputType", "RawBody")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidActionMetas")
    void createDefinitionWhenActionMetaInvalidThen400InvalidActionMeta(String label, String actionType, Object meta) {
        Map<String, Object> body = json("route", uniqueSegment("meta"));
        if (actionType != null) {
            body.put("actionType", actionType);
            body.put("actionMeta", "null".equals(meta) ? null : meta);
        }
        problem(createDefinition(body), 400, "InvalidActionMeta");
    }

    @Test
    void createDefinitionWithScriptNameOf128AllowedCharactersThen201() {
        String name = "Az09._-" + repeat('s', 121);
        createDefinition(json("route", uniqueSegment("meta"), "actionMeta", json("scriptName", name))).then()
                .statusCode(201).body("actionMeta.scriptName", equalTo(name));
    }

    @Test
    void patchDefinitionToNoEntryPointThenInputTypeDropped() {
        String id = newDefinition();
        asAdmin().body(json("actionType", "AutomationScriptNoEntryPoint")).patch(DEFINITIONS + "/" + id).then()
                .statusCode(200)
                .body("actionType", equalTo("AutomationScriptNoEntryPoint"))
                .body("actionMeta.scriptName", equalTo("script.sh"))
                .body("actionMeta", not(hasKey("inputType")));
    }

    @Test
    void patchDefinitionWithInputTypeOnNoEntryPointThen400InvalidActionMeta() {
        String id = createDefinition(json("route", uniqueSegment("ne"), "actionType", "AutomationScriptNoEntryPoint",
                "actionMeta", json("scriptName", "run.sh"))).then().statusCode(201).extract().path("id");
        problem(asAdmin().body(json("actionMeta", json("inputType", "Parameters"))).patch(DEFINITIONS + "/" + id),
                400, "InvalidActionMeta", id);
    }

    @Test
    void patchDefinitionWithBadScriptNameThen400InvalidActionMetaWithItsId() {
        String id = newDefinition();
        problem(asAdmin().body(json("actionMeta", json("scriptName", "../etc/passwd"))).patch(DEFINITIONS + "/" + id),
                400, "InvalidActionMeta", id);
    }

    // ---- name and description

    @ParameterizedTest(name = "name {0}")
    @ValueSource(strings = {"", " ", "\t \n"})
    void createDefinitionWhenNameBlankThen400InvalidName(String name) {
        Map<String, Object> body = definition(uniqueSegment("nm"));
        body.put("name", name);
        problem(createDefinition(body), 400, "InvalidName");
    }

    @Test
    void createDefinitionWhenNameOver100CharactersThen400InvalidName() {
        Map<String, Object> body = definition(uniqueSegment("nm"));
        body.put("name", repeat('n', 101));
        problem(createDefinition(body), 400, "InvalidName");
    }

    @Test
    void createDefinitionWithNameOf100CharactersThen201() {
        Map<String, Object> body = definition(uniqueSegment("nm"));
        body.put("name", repeat('n', 100));
        createDefinition(body).then().statusCode(201);
    }

    @Test
    void nameAndDescriptionLengthsCountCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDE80"; // one character, two UTF-16 units
        Map<String, Object> body = definition(uniqueSegment("cp"));
        body.put("name", emoji.repeat(100));
        body.put("description", emoji.repeat(2000));
        createDefinition(body).then().statusCode(201);
        Map<String, Object> over = definition(uniqueSegment("cp"));
        over.put("name", emoji.repeat(101));
        problem(createDefinition(over), 400, "InvalidName")
                .body("errors[0].message", org.hamcrest.Matchers.containsString("(it has 101)"));
    }

    @Test
    void createDefinitionWhenDescriptionOver2000CharactersThen400InvalidDescription() {
        Map<String, Object> body = definition(uniqueSegment("desc"));
        body.put("description", repeat('d', 2001));
        problem(createDefinition(body), 400, "InvalidDescription");
    }

    @Test
    void createDefinitionWithDescriptionOf2000CharactersThen201() {
        Map<String, Object> body = definition(uniqueSegment("desc"));
        body.put("description", repeat('d', 2000));
        createDefinition(body).then().statusCode(201);
    }

    @Test
    void createDefinitionWithUnknownActionTypeThen400MalformedRequest() {
        Map<String, Object> body = definition(uniqueSegment("at"));
        body.put("actionType", "ShellCommand");
        problem(createDefinition(body), 400, "MalformedRequest");
    }

    // ---- patch

    @Test
    void patchDefinitionThenMergedAndVersionPlusOne() {
        String token = newToken();
        String route = uniqueSegment("patch");
        String id = createDefinition(json("name", "old", "description", "text", "route", route,
                "allowedTokens", List.of(), "actionMeta", json("scriptName", "a.sh", "inputType", "Parameters")))
                .then().statusCode(201).extract().path("id");

        asAdmin().contentType("application/merge-patch+json")
                .body(json("name", "new", "description", null, "allowedTokens", List.of(token)))
                .patch(DEFINITIONS + "/" + id).then()
                .statusCode(200)
                .header("ETag", etag(2))
                .body("version", equalTo(2))
                .body("name", equalTo("new"))
                .body("description", nullValue())
                .body("route", equalTo(route))
                .body("allowedTokens", contains(token))
                .body("actionMeta.scriptName", equalTo("a.sh"))
                .body("actionMeta.inputType", equalTo("Parameters"));
    }

    @Test
    void patchDefinitionWhenIfMatchIsStaleThen412VersionMismatch() {
        String id = newDefinition();
        problem(asAdmin().header("If-Match", etag(2)).body(json("name", "x")).patch(DEFINITIONS + "/" + id),
                412, "VersionMismatch", id);
        asAdmin().header("If-Match", etag(1)).body(json("name", "x")).patch(DEFINITIONS + "/" + id).then()
                .statusCode(200).body("version", equalTo(2));
    }

    @Test
    void patchDefinitionWhenUnknownThen404NotFound() {
        String id = UUID.randomUUID().toString();
        problem(asAdmin().body(json("name", "x")).patch(DEFINITIONS + "/" + id), 404, "NotFound", id);
    }

    @Test
    void patchDefinitionWithInvalidRouteThen400InvalidRouteWithItsId() {
        String id = newDefinition();
        problem(asAdmin().body(json("route", "a//b")).patch(DEFINITIONS + "/" + id), 400, "InvalidRoute", id)
                .body("errors[0].route", equalTo("a//b"));
        problem(asAdmin().body(json("route", null)).patch(DEFINITIONS + "/" + id), 400, "InvalidRoute", id);
    }

    // ---- delete

    @Test
    void deleteDefinitionThen204AndItIsGoneAndItsTokenIsFree() {
        String token = newToken();
        String id = newDefinition(token);

        asAdmin().delete(DEFINITIONS + "/" + id).then().statusCode(204);
        problem(asAdmin().get(DEFINITIONS + "/" + id), 404, "NotFound", id);
        problem(asAdmin().delete(DEFINITIONS + "/" + id), 404, "NotFound", id);
        asAdmin().delete(AdminApi.TOKENS + "/" + token).then().statusCode(204);
    }

    @Test
    void deleteDefinitionWhenIfMatchIsStaleThen412VersionMismatch() {
        String id = newDefinition();
        problem(asAdmin().header("If-Match", etag(3)).delete(DEFINITIONS + "/" + id), 412, "VersionMismatch", id);
        asAdmin().header("If-Match", etag(1)).delete(DEFINITIONS + "/" + id).then().statusCode(204);
    }

    // ---- list

    @Test
    void listDefinitionsThenSortedByRouteByDefault() {
        String segment = uniqueSegment("lst");
        definitionOf(segment + "/c");
        definitionOf(segment + "/a");
        definitionOf(segment + "/B");

        asAdmin().queryParam("route", segment).get(DEFINITIONS).then()
                .statusCode(200)
                .body("total", equalTo(3))
                .body("items.route", contains(segment + "/a", segment + "/B", segment + "/c"));
        asAdmin().queryParam("route", segment).queryParam("sort", "-route").get(DEFINITIONS).then()
                .body("items.route", contains(segment + "/c", segment + "/B", segment + "/a"));
        asAdmin().queryParam("route", segment).queryParam("size", 1).queryParam("page", 1).get(DEFINITIONS).then()
                .body("total", equalTo(3))
                .body("items.route", contains(segment + "/B"));
    }

    @Test
    void listDefinitionsFilteredByRouteThenSubstringMatches() {
        String segment = uniqueSegment("sub");
        definitionOf(segment + "/tickets/{id}");
        definitionOf(segment + "/users");

        asAdmin().queryParam("route", segment + "/tick").get(DEFINITIONS).then()
                .body("items.route", contains(segment + "/tickets/{id}"));
        asAdmin().queryParam("route", segment.substring(2) + "/us").get(DEFINITIONS).then()
                .body("items.route", contains(segment + "/users"));
    }

    @Test
    void listDefinitionsFilteredByScriptNameAndTokenIdThenOnlyMatchingOnes() {
        String segment = uniqueSegment("fs");
        String token = newToken();
        String script = uniqueSegment("script") + ".sh";
        String withToken = definitionOf(segment + "/a", token);
        String withScript = createDefinition(json("route", segment + "/b", "actionMeta", json("scriptName", script)))
                .then().statusCode(201).extract().path("id");

        asAdmin().queryParam("tokenId", token).get(DEFINITIONS).then()
                .statusCode(200).body("items.id", contains(withToken));
        asAdmin().queryParam("scriptName", script).get(DEFINITIONS).then()
                .statusCode(200).body("items.id", contains(withScript));
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("size 1001", Map.of("size", "1001")),
                Arguments.of("page -1", Map.of("page", "-1")),
                Arguments.of("sort by an unknown field", Map.of("sort", "colour")),
                Arguments.of("sort descending by an unknown field", Map.of("sort", "-colour")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badQueries")
    void listDefinitionsWithBadQueryParameterThen400MalformedRequest(String label, Map<String, String> query) {
        problem(asAdmin().queryParams(query).get(DEFINITIONS), 400, "MalformedRequest");
    }
}
