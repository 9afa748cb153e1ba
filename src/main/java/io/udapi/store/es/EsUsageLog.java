package io.udapi.store.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.udapi.store.UsageLog;
import io.udapi.store.error.StoreUnavailableException;
import io.udapi.token.TokenUsage;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code <prefix>usage}: one document per (token, instance), id {@code <tokenId>/<node>}, written only by
 * that instance, so a write needs no optimistic concurrency and two instances never conflict; a reader
 * merges the documents of a token with the later time of each field. One {@code _bulk} per flush, with
 * {@code refresh=true} (once per flush interval) so that every other instance sees it at its next read.
 *
 * <p>{@link #readAll} reads the documents page by page ({@code search_after} on {@code tokenId, node}, which
 * is unique per document), so it has no 10,000-document limit however many tokens and instances there are.
 */
final class EsUsageLog implements UsageLog {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final EsClient es;
    private final EsDocuments docs;
    private final EsIndex index;

    EsUsageLog(EsClient es, EsDocuments docs, EsIndex index) {
        this.es = es;
        this.docs = docs;
        this.index = index;
    }

    static ObjectNode mapping() {
        ObjectNode properties = NODES.objectNode();
        properties.set("tokenId", keyword("keyword"));
        properties.set("node", keyword("keyword"));
        properties.set("lastUsedAt", keyword("date"));
        properties.set("previousSecretLastUsedAt", keyword("date"));
        ObjectNode mapping = NODES.objectNode();
        mapping.put("dynamic", "strict");
        mapping.set("properties", properties);
        return mapping;
    }

    private static ObjectNode keyword(String type) {
        return NODES.objectNode().put("type", type);
    }

    @Override
    public void write(String node, Map<String, TokenUsage> usage) {
        if (usage.isEmpty()) {
            return;
        }
        index.ensure();
        StringBuilder bulk = new StringBuilder();
        usage.forEach((tokenId, u) -> {
            ObjectNode action = NODES.objectNode();
            action.putObject("index").put("_id", tokenId + "/" + node);
            ObjectNode doc = NODES.objectNode().put("tokenId", tokenId).put("node", node);
            put(doc, "lastUsedAt", u.lastUsedAt());
            put(doc, "previousSecretLastUsedAt", u.previousSecretLastUsedAt());
            bulk.append(docs.write(action)).append('\n').append(docs.write(doc)).append('\n');
        });
        EsClient.Reply reply = es.perform("POST", "/" + index.name + "/_bulk", Map.of("refresh", "true"), bulk.toString());
        if (!reply.ok() || reply.body().path("errors").asBoolean()) {
            throw new StoreUnavailableException("Elasticsearch refused the usage of " + usage.size() + " tokens: "
                    + reply.summary());
        }
    }

    private static void put(ObjectNode doc, String field, Instant at) {
        if (at == null) {
            doc.putNull(field);
        } else {
            doc.put(field, at.toString());
        }
    }

    @Override
    public Map<String, TokenUsage> readAll() {
        index.ensure();
        Map<String, TokenUsage> all = new HashMap<>();
        JsonNode after = null;
        while (true) {
            EsClient.Reply reply = es.perform("POST", "/" + index.name + "/_search", Map.of(),
                    docs.write(EsQueries.usagePage(EsQueries.MAX_WINDOW, after)));
            if (!reply.ok()) {
                throw new StoreUnavailableException("cannot search " + index.name + ": " + reply.summary());
            }
            JsonNode last = null;
            int count = 0;
            for (JsonNode hit : EsDocuments.hits(reply.body())) {
                JsonNode source = hit.path("_source");
                TokenUsage u = new TokenUsage(instant(source.path("lastUsedAt")),
                        instant(source.path("previousSecretLastUsedAt")));
                all.merge(source.path("tokenId").asText(), u, TokenUsage::merge);
                last = hit;
                count++;
            }
            if (count < EsQueries.MAX_WINDOW || last == null) {
                return all;
            }
            after = last.path("sort");
        }
    }

    private static Instant instant(JsonNode value) {
        return value.isTextual() ? Instant.parse(value.asText()) : null;
    }

    @Override
    public void delete(String tokenId) {
        index.ensure();
        ObjectNode query = NODES.objectNode();
        query.put("size", EsQueries.MAX_WINDOW).put("_source", false);
        query.putObject("query").putObject("term").put("tokenId", tokenId);
        EsClient.Reply found = es.perform("POST", "/" + index.name + "/_search", Map.of(), docs.write(query));
        if (!found.ok()) {
            throw new StoreUnavailableException("cannot search " + index.name + ": " + found.summary());
        }
        StringBuilder bulk = new StringBuilder();
        for (JsonNode hit : EsDocuments.hits(found.body())) {
            ObjectNode action = NODES.objectNode();
            action.putObject("delete").put("_id", hit.path("_id").asText());
            bulk.append(docs.write(action)).append('\n');
        }
        if (bulk.length() > 0) {
            EsClient.Reply reply = es.perform("POST", "/" + index.name + "/_bulk", Map.of("refresh", "true"), bulk.toString());
            if (!reply.ok()) {
                throw new StoreUnavailableException("cannot delete the usage of " + tokenId + ": " + reply.summary());
            }
        }
    }
}
