package io.udapi.store.es;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.udapi.audit.AuditEvent.ObjectType;
import io.udapi.store.EventQuery;
import io.udapi.store.StoreJson;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The search bodies, checked without a cluster. */
class EsQueriesTest {

    private final ObjectMapper json = StoreJson.mapper();

    private JsonNode parse(String text) throws Exception {
        return json.readTree(text);
    }

    @Test
    void listFirstPageSortsByIdWithoutSearchAfter() throws Exception {
        ObjectNode body = EsQueries.listPage(500, null);

        assertEquals(parse("{\"size\":500,\"track_total_hits\":false,\"query\":{\"match_all\":{}},"
                + "\"sort\":[{\"id\":\"asc\"}]}"), body);
    }

    @Test
    void tokensWithTagMatchesTheCurrentOrThePreviousSecretsTagInOneFullPage() throws Exception {
        ObjectNode body = EsQueries.tokensWithTag(-123_456_789);

        assertEquals(parse("{\"size\":10000,\"track_total_hits\":false,"
                + "\"query\":{\"bool\":{\"should\":[{\"term\":{\"lookupTag\":-123456789}},"
                + "{\"term\":{\"previousLookupTag\":-123456789}}],\"minimum_should_match\":1}},"
                + "\"_source\":[\"object\"]}"), body);
    }

    @Test
    void listNextPageContinuesAfterTheLastSortValues() throws Exception {
        ObjectNode body = EsQueries.listPage(500, parse("[\"t-0499\"]"));

        assertEquals(parse("[\"t-0499\"]"), body.get("search_after"));
    }

    @Test
    void listPageSizeIsClampedToTheResultWindow() {
        assertEquals(EsQueries.MAX_WINDOW, EsQueries.listPage(50_000, null).path("size").asInt());
        assertEquals(1, EsQueries.listPage(0, null).path("size").asInt());
    }

    @Test
    void eventsWithoutFilterMatchAllNewestFirst() throws Exception {
        ObjectNode body = EsQueries.events(new EventQuery(null, null, null, 100));

        assertEquals(parse("{\"match_all\":{}}"), body.get("query"));
        assertEquals(parse("[{\"at\":\"desc\"},{\"id\":\"desc\"}]"), body.get("sort"));
        assertEquals(100, body.path("size").asInt());
    }

    @Test
    void eventsWithEveryFilterUseTermsAndAnInclusiveRange() throws Exception {
        Instant since = Instant.parse("2025-03-01T10:15:30.000000001Z");

        ObjectNode body = EsQueries.events(new EventQuery(ObjectType.definition, "d-1", since, 10));

        assertEquals(parse("{\"bool\":{\"filter\":["
                + "{\"term\":{\"objectType\":\"definition\"}},"
                + "{\"term\":{\"objectId\":\"d-1\"}},"
                + "{\"range\":{\"at\":{\"gte\":\"2025-03-01T10:15:30.000000001Z\"}}}]}}"), body.get("query"));
    }

    @Test
    void eventsWithOneFilterHaveOnlyThatClause() {
        ObjectNode body = EsQueries.events(new EventQuery(null, "x", null, 10));

        JsonNode filter = body.at("/query/bool/filter");
        assertEquals(1, filter.size());
        assertTrue(filter.get(0).has("term"));
        assertFalse(body.toString().contains("range"));
    }

    @Test
    void eventsLimitIsClampedToTheResultWindow() {
        assertEquals(EsQueries.MAX_WINDOW, EsQueries.events(new EventQuery(null, null, null, 20_000)).path("size").asInt());
        assertEquals(0, EsQueries.events(new EventQuery(null, null, null, -1)).path("size").asInt());
    }

    @Test
    void feedProbeCountsTheWindowExactlyAndAsksForOneSequenceNumberWithoutSource() throws Exception {
        ObjectNode body = EsQueries.feedProbe(100);

        assertEquals(100 - EsQueries.FEED_OVERLAP, body.at("/query/range/_seq_no/gt").asLong());
        assertEquals(1, body.path("size").asInt());
        assertTrue(body.path("track_total_hits").asBoolean(), "the count must be exact, not a lower bound");
        assertFalse(body.path("_source").asBoolean(true));
        assertEquals("desc", body.at("/sort/0/_seq_no").asText());
    }

    @Test
    void listPageOfAnIdRangeFiltersOnTheKeywordIdWithOpenBounds() {
        assertEquals("{\"gte\":\"8\",\"lt\":\"c\"}", EsQueries.listPage(10, null, "8", "c").at("/query/range/id").toString());
        assertEquals("{\"lt\":\"8\"}", EsQueries.listPage(10, null, null, "8").at("/query/range/id").toString());
        assertTrue(EsQueries.listPage(10, null, null, null).at("/query/match_all").isObject());
        assertFalse(EsQueries.listPage(10, null, "8", null).has("_source"), "the stored source, unfiltered");
    }
}
