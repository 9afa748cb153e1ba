package io.udapi.store.es;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.udapi.audit.AuditEvent;
import io.udapi.audit.Stamp;
import io.udapi.store.StoreJson;
import io.udapi.token.ApiToken;
import io.udapi.token.RateLimit;
import io.udapi.user.AdminUser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The index bodies and documents, checked without a cluster. */
class EsDocumentsTest {

    private static final Instant AT = Instant.parse("2025-03-01T10:15:30.123456789Z");
    private final ObjectMapper json = StoreJson.mapper();
    private final EsDocuments docs = new EsDocuments(json);

    private static ApiToken token() {
        return new ApiToken("t-1", "name", "hash", 42, "abcd", false, null, new RateLimit(5, Duration.ofSeconds(90)),
                new Stamp("alice", AT, "bob", AT.plusSeconds(1)), 3);
    }

    @Test
    void objectMappingIsStrictWithKeywordIdAndAnUnindexedObject() {
        ObjectNode mapping = EsDocuments.objectMapping();

        assertEquals("strict", mapping.path("dynamic").asText());
        assertEquals("keyword", mapping.at("/properties/id/type").asText());
        assertEquals("long", mapping.at("/properties/version/type").asText());
        assertEquals("date_nanos", mapping.at("/properties/lastModified/type").asText());
        assertEquals("object", mapping.at("/properties/object/type").asText());
        assertFalse(mapping.at("/properties/object/enabled").asBoolean(true));
        assertEquals(EsDocuments.SCHEMA, mapping.at("/_meta/schema").asInt());
    }

    @Test
    void tokenMappingIsTheObjectMappingPlusIntegerLookupTagsOfTheCurrentAndThePreviousSecret() {
        ObjectNode mapping = EsDocuments.tokenMapping();

        assertEquals("integer", mapping.at("/properties/lookupTag/type").asText());
        assertEquals("integer", mapping.at("/properties/previousLookupTag/type").asText());
        ((ObjectNode) mapping.path("properties")).remove(List.of("lookupTag", "previousLookupTag"));
        assertEquals(EsDocuments.objectMapping(), mapping);
    }

    @Test
    void objectDocumentOfATokenInARotationOverlapCarriesThePreviousSecretsTag() {
        ApiToken rotated = token().rotatedTo("new-hash", 7, "wxyz", AT, AT.plusSeconds(60));

        ObjectNode doc = docs.objectDocument(rotated);

        assertEquals(7, doc.path("lookupTag").asInt());
        assertEquals(42, doc.path("previousLookupTag").asInt());
        assertEquals(Set.of("id", "version", "lastModified", "lookupTag", "previousLookupTag", "object"),
                fieldNames(doc));
    }

    @Test
    void userDocumentHasNoLookupTag() {
        AdminUser user = new AdminUser("Alice", "hash", Set.of(), Stamp.created("x", AT), 1);

        assertEquals(Set.of("id", "version", "lastModified", "object"), fieldNames(docs.objectDocument(user)));
    }

    @Test
    void eventMappingHasTheQueriedFieldsAsKeywordsAndNanosecondTime() {
        ObjectNode mapping = EsDocuments.eventMapping();

        assertEquals("strict", mapping.path("dynamic").asText());
        for (String field : List.of("id", "objectType", "objectId", "action", "user")) {
            assertEquals("keyword", mapping.at("/properties/" + field + "/type").asText(), field);
        }
        assertEquals("date_nanos", mapping.at("/properties/at/type").asText());
        assertFalse(mapping.at("/properties/object/enabled").asBoolean(true));
    }

    @Test
    void createIndexBodyHasOneShardAndTheMapping() {
        ObjectNode body = EsDocuments.createIndexBody(EsDocuments.objectMapping());

        assertEquals(1, body.at("/settings/index/number_of_shards").asInt());
        assertEquals(EsDocuments.objectMapping(), body.get("mappings"));
    }

    @Test
    void objectDocumentCarriesTheQueriedFieldsBesideTheObject() {
        ObjectNode doc = docs.objectDocument(token());

        assertEquals("t-1", doc.path("id").asText());
        assertEquals(3, doc.path("version").asLong());
        assertEquals("2025-03-01T10:15:31.123456789Z", doc.path("lastModified").asText());
        assertEquals(42, doc.path("lookupTag").asInt());
        assertEquals(Set.of("id", "version", "lastModified", "lookupTag", "object"), fieldNames(doc));
        assertEquals("PT1M30S", doc.at("/object/rateLimit/window").asText());
        assertTrue(doc.at("/object/expiresAt").isNull());
    }

    @Test
    void userDocumentIsKeyedByTheLowerCasedName() {
        AdminUser user = new AdminUser("Alice", "hash", Set.of(), Stamp.created("x", AT), 1);

        assertEquals("alice", docs.objectDocument(user).path("id").asText());
    }

    @Test
    void objectRoundTripsThroughTheDocument() throws Exception {
        ApiToken token = token();

        assertEquals(token, docs.objectOf(docs.objectDocument(token), ApiToken.class));
    }

    @Test
    void tokenWrittenBeforeOverlapsAndSourceRangesReadsBackWithBothUnset() throws Exception {
        // The stored form of a token as udapi wrote it before previousSecret and allowedSourceRanges existed.
        JsonNode source = json.readTree("""
                {"id":"t-old","version":3,"lookupTag":42,"object":{"id":"t-old","name":"old","secretHash":"hash",
                 "lookupTag":42,"secretHint":"abcd","disabled":false,"expiresAt":null,"rateLimit":null,
                 "stamp":{"createdBy":"a","createdAt":"2025-03-01T10:15:30Z","lastModifiedBy":"a",
                 "lastModified":"2025-03-01T10:15:30Z"},"version":3}}""");

        ApiToken read = docs.objectOf(source, ApiToken.class);

        assertEquals("t-old", read.id());
        assertEquals(3, read.version());
        assertNull(read.previousSecret());
        assertNull(read.allowedSourceRanges());
    }

    @Test
    void objectOfWhenNoObjectFieldThenIllegalArgument() {
        JsonNode source = json.createObjectNode().put("id", "x");

        assertThrows(IllegalArgumentException.class, () -> docs.objectOf(source, ApiToken.class));
    }

    @Test
    void eventDocumentOmitsNullFieldsAndKeepsNanoseconds() {
        AuditEvent event = new AuditEvent("e-1", AT, "alice", AuditEvent.Action.deleted, AuditEvent.ObjectType.user,
                "bob", null);

        ObjectNode doc = docs.eventDocument(event);

        assertEquals("2025-03-01T10:15:30.123456789Z", doc.path("at").asText());
        assertEquals("user", doc.path("objectType").asText());
        assertEquals("deleted", doc.path("action").asText());
        assertEquals("bob", doc.path("objectId").asText());
        assertEquals(Set.of("id", "at", "objectType", "objectId", "action", "user", "object"), fieldNames(doc));
        assertTrue(doc.at("/object/summary").isNull());
    }

    @Test
    void versionOfWhenFieldMissingThenMinusOne() {
        assertEquals(-1, EsDocuments.versionOf(json.createObjectNode()));
        assertEquals(7, EsDocuments.versionOf(json.createObjectNode().put("version", 7)));
    }

    @Test
    void errorTypeAndSummaryReadElasticsearchErrors() throws Exception {
        JsonNode error = json.readTree("{\"error\":{\"type\":\"resource_already_exists_exception\","
                + "\"reason\":\"index [x] already exists\"},\"status\":400}");

        assertEquals("resource_already_exists_exception", EsDocuments.errorType(error));
        assertEquals("400 resource_already_exists_exception: index [x] already exists",
                EsDocuments.errorSummary(400, error));
        assertNull(EsDocuments.errorType(json.readTree("{\"found\":false}")));
        assertEquals("HTTP 404", EsDocuments.errorSummary(404, json.readTree("{\"found\":false}")));
    }

    @Test
    void isDataErrorOnlyForA4xxAboutTheRequestItself() throws Exception {
        JsonNode mapping = json.readTree("{\"error\":{\"type\":\"document_parsing_exception\"},\"status\":400}");
        JsonNode noIndex = json.readTree("{\"error\":{\"type\":\"index_not_found_exception\"},\"status\":404}");
        JsonNode closed = json.readTree("{\"error\":{\"type\":\"index_closed_exception\"},\"status\":400}");

        assertTrue(EsDocuments.isDataError(400, mapping));
        assertTrue(EsDocuments.isDataError(413, json.createObjectNode()));
        assertFalse(EsDocuments.isDataError(404, noIndex), "a missing index: nothing can succeed");
        assertFalse(EsDocuments.isDataError(400, closed));
        assertFalse(EsDocuments.isDataError(401, json.createObjectNode()), "credentials: an outage until fixed");
        assertFalse(EsDocuments.isDataError(403, json.createObjectNode()));
        assertFalse(EsDocuments.isDataError(408, json.createObjectNode()));
        assertFalse(EsDocuments.isDataError(429, json.createObjectNode()));
        assertFalse(EsDocuments.isDataError(503, json.createObjectNode()));
    }

    @Test
    void readFailureNamesTheFieldButNotTheValue() {
        Exception e = assertThrows(Exception.class, () -> docs.objectOf(json.readTree(
                "{\"object\":{\"id\":\"t\",\"version\":\"secret-looking-value\"}}"), ApiToken.class));

        String message = EsDocuments.readFailure(e);
        assertTrue(message.contains("object.version"), message);
        assertFalse(message.contains("secret-looking-value"), message);
    }

    @Test
    void streamHitsHandsOutEachObjectAndTheLastSortWithoutATree() throws Exception {
        String answer = "{\"took\":3,\"hits\":{\"total\":{\"value\":3},\"hits\":["
                + "{\"_index\":\"i\",\"_id\":\"a\",\"_source\":{\"object\":{\"k\":[1,{\"x\":2}]}},\"sort\":[\"a\"]},"
                + "{\"sort\":[\"b\"],\"_source\":{\"other\":1},\"_id\":\"b\"},"
                + "{\"_id\":\"c\",\"_source\":{\"id\":\"c\",\"object\":{\"k\":3}},\"sort\":[\"c\"]}]},\"after\":{}}";
        List<String> seen = new ArrayList<>();

        EsDocuments.StreamedPage page = EsDocuments.streamHits(json.getFactory().createParser(answer),
                (id, object) -> seen.add(id + "=" + (object == null ? null : json.readTree(object))));

        assertEquals(List.of("a={\"k\":[1,{\"x\":2}]}", "b=null", "c={\"k\":3}"), seen);
        assertEquals(3, page.hits());
        assertEquals("[\"c\"]", page.lastSort().toString());
    }

    @Test
    void streamHitsFindsTheNextHitWhereverTheConsumerStoppedReadingAnObject() throws Exception {
        String answer = "{\"hits\":{\"hits\":["
                + "{\"_id\":\"unread\",\"_source\":{\"object\":{\"a\":{\"b\":[1,2,{\"c\":{}}]},\"d\":1}},\"sort\":[\"x\"]},"
                + "{\"_id\":\"half\",\"_source\":{\"object\":{\"a\":{\"b\":[1,2,{\"c\":{}}]},\"d\":1},\"after\":2},\"sort\":[\"y\"]},"
                + "{\"_id\":\"bad\",\"_source\":{\"object\":{\"id\":\"bad\",\"version\":\"x\",\"name\":{\"n\":[]}}},\"sort\":[7]},"
                + "{\"_id\":\"read\",\"_source\":{\"object\":{\"k\":[3]}},\"sort\":[\"z\", 9]}]}}";
        List<String> seen = new ArrayList<>();

        EsDocuments.StreamedPage page = EsDocuments.streamHits(json.getFactory().createParser(answer), (id, object) -> {
            seen.add(id);
            switch (id) {
                case "unread" -> { }
                case "half" -> {        // into the nested array, then stop
                    object.nextToken();
                    object.nextToken();
                    object.nextToken();
                    object.nextToken();
                }
                case "bad" -> assertThrows(com.fasterxml.jackson.databind.DatabindException.class,
                        () -> object.readValueAs(ApiToken.class));       // stops at "version"
                default -> assertEquals("{\"k\":[3]}", json.readTree(object).toString());
            }
        });

        assertEquals(List.of("unread", "half", "bad", "read"), seen);
        assertEquals(4, page.hits());
        assertEquals("[\"z\",9]", page.lastSort().toString());
    }

    @Test
    void streamHitsOfAnAnswerThatEndsInsideADocumentIsAnError() {
        String answer = "{\"hits\":{\"hits\":[{\"_id\":\"cut\",\"_source\":{\"object\":{\"a\":[1,";

        assertThrows(java.io.IOException.class, () -> EsDocuments.streamHits(json.getFactory().createParser(answer),
                (id, object) -> { }));
    }

    @Test
    void streamHitsOfAnEmptyFilteredAnswer() throws Exception {
        EsDocuments.StreamedPage page = EsDocuments.streamHits(json.getFactory().createParser("{}"), (id, o) -> { });

        assertEquals(0, page.hits());
        assertNull(page.lastSort());
    }

    @Test
    void hitsAreReadInOrder() throws Exception {
        JsonNode response = json.readTree("{\"hits\":{\"hits\":[{\"_id\":\"a\"},{\"_id\":\"b\"}]}}");

        assertEquals(List.of("a", "b"), EsDocuments.hits(response).stream().map(h -> h.path("_id").asText()).toList());
        assertEquals(List.of(), EsDocuments.hits(json.createObjectNode()));
    }

    private static Set<String> fieldNames(JsonNode node) {
        java.util.Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
