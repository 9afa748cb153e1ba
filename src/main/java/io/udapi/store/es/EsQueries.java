package io.udapi.store.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.udapi.store.EventQuery;

/** Search bodies: pure functions, unit-tested without a cluster. */
public final class EsQueries {

    /** Elasticsearch's {@code index.max_result_window}: no single search may ask for more. */
    public static final int MAX_WINDOW = 10_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EsQueries() {
    }

    /**
     * One page of every object, ordered by the keyword {@code id}. The next page continues after the
     * last hit's sort values ({@code search_after}), so listing has no 10,000 limit and needs neither a
     * scroll nor a point in time. Without a point in time a page reflects the index when it is read:
     * an object created or deleted while the pages are read may or may not appear, but no object is
     * listed twice because ids are unique and strictly ordered.
     *
     * @param after the {@code sort} array of the previous page's last hit; null for the first page
     */
    public static ObjectNode listPage(int size, JsonNode after) {
        return listPage(size, after, null, null);
    }

    /**
     * As {@link #listPage(int, JsonNode)}, restricted to ids in {@code [fromId, toId)} (a null bound is
     * open), so that disjoint id ranges can be listed in parallel.
     *
     * <p>The whole stored {@code _source} is asked for, with no {@code _source} filter and no
     * {@code filter_path}: Elasticsearch then copies each document's stored bytes into the answer,
     * while either filter makes it parse and re-serialise every document. The {@code object} field is
     * almost all of a document, so filtering saves few bytes and costs the cluster most of its time
     * (WarmLoadBenchmarkIT measures both).
     */
    public static ObjectNode listPage(int size, JsonNode after, String fromId, String toId) {
        ObjectNode body = NODES.objectNode();
        body.put("size", Math.max(1, Math.min(size, MAX_WINDOW)));
        body.put("track_total_hits", false);
        if (fromId == null && toId == null) {
            body.putObject("query").putObject("match_all");
        } else {
            ObjectNode range = body.putObject("query").putObject("range").putObject("id");
            if (fromId != null) {
                range.put("gte", fromId);
            }
            if (toId != null) {
                range.put("lt", toId);
            }
        }
        body.putArray("sort").addObject().put("id", "asc");
        if (after != null) {
            body.set("search_after", after);
        }
        return body;
    }

    /**
     * One page of the usage documents, ordered by {@code tokenId} then {@code node}: one document per
     * (token, instance), so the pair is unique and {@code search_after} the last hit's sort values never
     * skips or repeats a document.
     */
    public static ObjectNode usagePage(int size, JsonNode after) {
        ObjectNode body = NODES.objectNode();
        body.put("size", Math.max(1, Math.min(size, MAX_WINDOW)));
        body.put("track_total_hits", false);
        body.putObject("query").putObject("match_all");
        ArrayNode sort = body.putArray("sort");
        sort.addObject().put("tokenId", "asc");
        sort.addObject().put("node", "asc");
        if (after != null) {
            body.set("search_after", after);
        }
        return body;
    }

    /**
     * Every token whose {@code lookupTag} or {@code previousLookupTag} is {@code tag}: a handful at most
     * (a 32-bit tag), so one page of {@link #MAX_WINDOW} is plenty; the caller treats a full page as an error.
     */
    public static ObjectNode tokensWithTag(int tag) {
        ObjectNode body = NODES.objectNode();
        body.put("size", MAX_WINDOW);
        body.put("track_total_hits", false);
        ObjectNode bool = body.putObject("query").putObject("bool");
        com.fasterxml.jackson.databind.node.ArrayNode should = bool.putArray("should");
        should.addObject().putObject("term").put(EsDocuments.LOOKUP_TAG, tag);
        should.addObject().putObject("term").put(EsDocuments.PREVIOUS_LOOKUP_TAG, tag);
        bool.put("minimum_should_match", 1);
        body.putArray("_source").add(EsDocuments.OBJECT);
        return body;
    }

    /**
     * Where a listing is cut into id ranges listed in parallel: {@code [.., "8")} and {@code ["8", ..)}.
     * Token and definition ids are UUIDs, so this halves them; any other id still falls in exactly one
     * range (the split only affects balance, never completeness).
     */
    public static final java.util.List<String> LIST_SPLITS = java.util.List.of("8");

    /**
     * The events matching {@code query}, newest first: by {@code at} descending, then {@code id}
     * descending (ids are time-ordered, which makes the order total for events of the same instant).
     * {@code since} is inclusive.
     */
    public static ObjectNode events(EventQuery query) {
        ArrayNode filter = NODES.arrayNode();
        if (query.objectType() != null) {
            filter.addObject().putObject("term").put("objectType", query.objectType().name());
        }
        if (query.objectId() != null) {
            filter.addObject().putObject("term").put("objectId", query.objectId());
        }
        if (query.since() != null) {
            filter.addObject().putObject("range").putObject("at").put("gte", query.since().toString());
        }
        ObjectNode body = NODES.objectNode();
        body.put("size", Math.max(0, Math.min(query.limit(), MAX_WINDOW)));
        body.put("track_total_hits", false);
        if (filter.isEmpty()) {
            body.putObject("query").putObject("match_all");
        } else {
            body.putObject("query").putObject("bool").set("filter", filter);
        }
        ArrayNode sort = body.putArray("sort");
        sort.addObject().put("at", "desc");
        sort.addObject().put("id", "desc");
        body.putArray("_source").add(EsDocuments.OBJECT);
        return body;
    }

    /**
     * How many sequence numbers before the cursor the change feed reads again. Writes to one shard get
     * their {@code _seq_no} before they are indexed, and a refresh may make a higher one visible before
     * a lower one whose indexing is still running; re-reading this window (de-duplicated by event id by
     * the reader) catches such a late event. Far more than the concurrent writes one cluster sees.
     */
    public static final int FEED_OVERLAP = 64;

    /**
     * The change feed: events with {@code _seq_no > cursor - FEED_OVERLAP}, in {@code _seq_no} order.
     * The events index has one shard, so {@code _seq_no} is a total order of the writes to it.
     */
    public static ObjectNode changesAfter(long cursor, int max) {
        ObjectNode body = NODES.objectNode();
        body.put("size", Math.max(1, Math.min(max, MAX_WINDOW - FEED_OVERLAP)) + FEED_OVERLAP);
        body.put("track_total_hits", false);
        body.put("seq_no_primary_term", true);
        body.putObject("query").putObject("range").putObject("_seq_no").put("gt", cursor - FEED_OVERLAP);
        body.putArray("sort").addObject().put("_seq_no", "asc");
        body.putArray("_source").add(EsDocuments.OBJECT);
        return body;
    }

    /**
     * The idle check of the change feed: how many events are visible in the re-read window and after it
     * ({@code _seq_no > cursor - FEED_OVERLAP}, counted exactly) and the highest {@code _seq_no} among
     * them, with no source: one hit of a few bytes. Sent with {@link #FEED_PROBE_FILTER}, the answer is
     * about 60 bytes. Comparing it with what the last full read saw tells whether anything is new: a
     * higher {@code _seq_no} than the cursor, or more events in the window than were visible then (an
     * event that became visible late).
     */
    public static ObjectNode feedProbe(long cursor) {
        ObjectNode body = NODES.objectNode();
        body.put("size", 1);
        body.put("track_total_hits", true);
        body.put("seq_no_primary_term", true);
        body.put("_source", false);
        body.putObject("query").putObject("range").putObject("_seq_no").put("gt", cursor - FEED_OVERLAP);
        body.putArray("sort").addObject().put("_seq_no", "desc");
        return body;
    }

    /** {@code filter_path} of {@link #feedProbe}: the count and the one sequence number, nothing else. */
    public static final String FEED_PROBE_FILTER = "hits.total.value,hits.hits._seq_no";

    /** {@code filter_path} of {@link #changesAfter}: what the feed reads of each hit. */
    public static final String FEED_FILTER = "hits.hits._id,hits.hits._seq_no,hits.hits._source";

    /** The highest {@code _seq_no} of the events index: one hit, no source. */
    public static ObjectNode headCursor() {
        ObjectNode body = NODES.objectNode();
        body.put("size", 1);
        body.put("track_total_hits", false);
        body.put("seq_no_primary_term", true);
        body.put("_source", false);
        body.putObject("query").putObject("match_all");
        body.putArray("sort").addObject().put("_seq_no", "desc");
        return body;
    }
}
