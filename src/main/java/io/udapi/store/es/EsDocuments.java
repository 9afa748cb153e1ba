package io.udapi.store.es;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.udapi.audit.AuditEvent;
import io.udapi.audit.Versioned;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Index bodies, documents and their parsing: pure functions of their arguments, no I/O, so every shape
 * that reaches Elasticsearch is unit-tested without a cluster.
 *
 * <p>Document layout. The object itself lives in {@value #OBJECT}, an object field with
 * {@code enabled: false}: kept in {@code _source}, never indexed, so adding a field to a record never
 * needs a mapping change. Next to it sit the few fields queries and sorts need, all with doc values:
 * <ul>
 *   <li>objects: {@code id} (keyword; the sort key of paged listing, because sorting on {@code _id} is
 *       not allowed), {@code version} (long), {@code lastModified} (date_nanos, from the stamp); tokens
 *       also {@code lookupTag} and, while they hold a previous secret, {@code previousLookupTag} (integers,
 *       see {@link #tokenMapping()});</li>
 *   <li>events: {@code id}, {@code objectType}, {@code objectId}, {@code action}, {@code user} (keyword)
 *       and {@code at} (date_nanos, so events in the same millisecond still sort correctly).</li>
 * </ul>
 * Mappings are {@code dynamic: strict}: a document with an unexpected top-level field is refused
 * rather than silently widening the mapping of a shared cluster.
 */
public final class EsDocuments {

    /** Bumped when the layout changes incompatibly; recorded in each index's {@code _meta}. */
    public static final int SCHEMA = 1;
    static final String OBJECT = "object";
    static final String LOOKUP_TAG = "lookupTag";
    /** The tag of a token's previous secret during a rotation overlap (docs/tokens.md); absent otherwise. */
    static final String PREVIOUS_LOOKUP_TAG = "previousLookupTag";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectMapper json;

    /** @param json the mapper of the stored form, see {@link io.udapi.store.StoreJson} */
    public EsDocuments(ObjectMapper json) {
        this.json = json;
    }

    // ---- index bodies -------------------------------------------------------------------------

    /** Mapping of the tokens, definitions and users indices. */
    public static ObjectNode objectMapping() {
        ObjectNode properties = NODES.objectNode();
        properties.set("id", type("keyword"));
        properties.set("version", type("long"));
        properties.set("lastModified", type("date_nanos"));
        properties.set(OBJECT, unindexedObject());
        return mapping(properties);
    }

    /**
     * Mapping of the tokens index: the object mapping plus {@code lookupTag} (integer), the 32-bit keyed
     * tag of the secret, so the secret-uniqueness check finds the few tokens that share a tag in the
     * store itself. The tag is in {@code _source} anyway; indexing it reveals nothing more (it is an
     * HMAC under the pepper, which is not stored). {@code previousLookupTag} is the same for the previous
     * secret of a rotation overlap, which the uniqueness check covers too. Both are additive: an index
     * created by an older version gains the missing field when an instance starts ({@link EsIndex} puts the
     * mapping), and documents written before simply lack it.
     */
    public static ObjectNode tokenMapping() {
        ObjectNode mapping = objectMapping();
        ((ObjectNode) mapping.path("properties")).set(LOOKUP_TAG, type("integer"));
        ((ObjectNode) mapping.path("properties")).set(PREVIOUS_LOOKUP_TAG, type("integer"));
        return mapping;
    }

    /** Mapping of the events index. */
    public static ObjectNode eventMapping() {
        ObjectNode properties = NODES.objectNode();
        properties.set("id", type("keyword"));
        properties.set("at", type("date_nanos"));
        properties.set("objectType", type("keyword"));
        properties.set("objectId", type("keyword"));
        properties.set("action", type("keyword"));
        properties.set("user", type("keyword"));
        properties.set(OBJECT, unindexedObject());
        return mapping(properties);
    }

    /** Mapping of the claims index: every field a keyword or date, nothing else. */
    public static ObjectNode claimMapping() {
        ObjectNode properties = NODES.objectNode();
        properties.set("kind", type("keyword"));
        properties.set("key", type("keyword"));
        properties.set("owner", type("keyword"));
        properties.set("at", type("date_nanos"));
        return mapping(properties);
    }

    /**
     * Body of {@code PUT /<index>}: one primary shard (the data is small and read mostly by id or
     * whole), replicas left to the cluster default.
     */
    public static ObjectNode createIndexBody(ObjectNode mapping) {
        ObjectNode body = NODES.objectNode();
        body.putObject("settings").putObject("index").put("number_of_shards", 1);
        body.set("mappings", mapping);
        return body;
    }

    private static ObjectNode mapping(ObjectNode properties) {
        ObjectNode mapping = NODES.objectNode();
        mapping.put("dynamic", "strict");
        mapping.putObject("_meta").put("owner", "udapi").put("schema", SCHEMA);
        mapping.set("properties", properties);
        return mapping;
    }

    private static ObjectNode type(String type) {
        return NODES.objectNode().put("type", type);
    }

    private static ObjectNode unindexedObject() {
        return NODES.objectNode().put("type", "object").put("enabled", false);
    }

    // ---- documents ----------------------------------------------------------------------------

    /** The document of a token, definition or user. */
    public ObjectNode objectDocument(Versioned value) {
        JsonNode object = json.valueToTree(value);
        ObjectNode doc = NODES.objectNode();
        doc.put("id", value.id());
        doc.put("version", value.version());
        JsonNode lastModified = object.path("stamp").path("lastModified");
        if (lastModified.isTextual()) {
            doc.put("lastModified", lastModified.asText());
        }
        if (value instanceof io.udapi.token.ApiToken token) {
            doc.put(LOOKUP_TAG, token.lookupTag());
            if (token.previousSecret() != null) {
                doc.put(PREVIOUS_LOOKUP_TAG, token.previousSecret().lookupTag());
            }
        }
        doc.set(OBJECT, object);
        return doc;
    }

    /** The document of an audit event. */
    public ObjectNode eventDocument(AuditEvent event) {
        ObjectNode doc = NODES.objectNode();
        doc.put("id", event.id());
        doc.put("at", event.at().toString());
        putIfPresent(doc, "objectType", event.objectType() == null ? null : event.objectType().name());
        putIfPresent(doc, "objectId", event.objectId());
        putIfPresent(doc, "action", event.action() == null ? null : event.action().name());
        putIfPresent(doc, "user", event.user());
        doc.set(OBJECT, json.valueToTree(event));
        return doc;
    }

    /** The {@code _id} of a claim: kind and key, which cannot contain the first colon's meaning twice. */
    public static String claimId(String kind, String key) {
        if (kind.contains(":")) {
            throw new IllegalArgumentException("a claim kind has no ':' (" + kind + ")");
        }
        return kind + ":" + key;
    }

    public ObjectNode claimDocument(String kind, String key, String owner, java.time.Instant at) {
        ObjectNode doc = NODES.objectNode();
        doc.put("kind", kind);
        doc.put("key", key);
        doc.put("owner", owner);
        doc.put("at", at.toString());
        return doc;
    }

    public static io.udapi.store.Claims.Claim claimOf(JsonNode source) {
        JsonNode owner = source.path("owner");
        if (!owner.isTextual()) {
            throw new IllegalArgumentException("claim document has no owner");
        }
        JsonNode at = source.path("at");
        return new io.udapi.store.Claims.Claim(owner.asText(),
                at.isTextual() ? java.time.Instant.parse(at.asText()) : java.time.Instant.EPOCH);
    }

    private static void putIfPresent(ObjectNode doc, String field, String value) {
        if (value != null) {
            doc.put(field, value);
        }
    }

    /** The object kept in a document's {@code _source}. */
    public <T> T objectOf(JsonNode source, Class<T> type) throws JsonProcessingException {
        JsonNode object = source.get(OBJECT);
        if (object == null || !object.isObject()) {
            throw new IllegalArgumentException("document has no '" + OBJECT + "' object");
        }
        return json.treeToValue(object, type);
    }

    /**
     * Why a document could not be read, naming the field but never its value (a stored token holds a
     * secret's hash and lookup tag, which do not belong in a log line).
     */
    public static String readFailure(Exception e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (com.fasterxml.jackson.databind.JsonMappingException.Reference ref : mapping.getPath()) {
                path.append(ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]");
            }
            return "field " + OBJECT + path + " has a value of the wrong type or form";
        }
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
            return "the '" + OBJECT + "' object is not a readable record";
        }
        return e.getMessage();   // our own rule messages (IllegalArgumentException), e.g. a missing 'object'
    }

    /** The stored version of an object document, -1 when the field is missing. */
    public static long versionOf(JsonNode source) {
        JsonNode version = source.get("version");
        return version != null && version.canConvertToLong() ? version.asLong() : -1;
    }

    public String write(JsonNode body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a request body", e);
        }
    }

    // ---- responses ----------------------------------------------------------------------------

    /** One hit of a streamed listing: its id and its {@value #OBJECT}, as the parser standing on the object. */
    public interface HitConsumer {
        /**
         * @param id     the hit's {@code _id} (null if the hit names it only after its source)
         * @param object the answer's parser on the object's {@code START_OBJECT}, or null when the hit has no
         *               object; the consumer may read the object (for example bind it) to any point, or not at
         *               all: {@link #streamHits} moves on to the end of the object afterwards
         */
        void accept(String id, com.fasterxml.jackson.core.JsonParser object) throws IOException;
    }

    /**
     * Streams the hits of a search response ({@code hits.hits[]}, each with {@code _id},
     * {@code _source.object} and {@code sort}; any other field is skipped) to {@code consumer}, without
     * building a tree or a copy of any document: each object is handed out as the parser standing on it,
     * and the parser's place is restored after the consumer, which lets a consumer that failed to bind a
     * bad document skip it. Copying each object into a token buffer first, and building a tree of each
     * hit's {@code sort}, were half of a warm load's listing (bench/RESULTS.md, "Warm load of 100,000 tokens").
     *
     * @return the number of hits and the {@code sort} values of the last one (null when none)
     */
    public static StreamedPage streamHits(com.fasterxml.jackson.core.JsonParser parser, HitConsumer consumer)
            throws IOException {
        int count = 0;
        JsonNode lastSort = null;
        if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
            throw new IOException("a search answer is a JSON object");
        }
        while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (!"hits".equals(field) || !parser.isExpectedStartObjectToken()) {
                parser.skipChildren();
                continue;
            }
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String inner = parser.currentName();
                parser.nextToken();
                if (!"hits".equals(inner) || !parser.isExpectedStartArrayToken()) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    String id = null;
                    boolean handedOut = false;
                    while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        parser.nextToken();
                        switch (name) {
                            case "_id" -> id = parser.getValueAsString();
                            case "sort" -> lastSort = sortValues(parser);
                            case "_source" -> handedOut |= sourceObject(parser, id, consumer);
                            default -> parser.skipChildren();
                        }
                    }
                    if (!handedOut) {
                        consumer.accept(id, null);
                    }
                    count++;
                }
            }
        }
        return new StreamedPage(count, lastSort);
    }

    /**
     * Hands the {@value #OBJECT} of a {@code _source} (the parser on its start) to {@code consumer}, then
     * finds the end of the object wherever the consumer left the parser. Whether it did.
     */
    private static boolean sourceObject(com.fasterxml.jackson.core.JsonParser parser, String id, HitConsumer consumer)
            throws IOException {
        if (!parser.isExpectedStartObjectToken()) {
            parser.skipChildren();
            return false;
        }
        boolean handedOut = false;
        while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (OBJECT.equals(name) && parser.isExpectedStartObjectToken() && !handedOut) {
                com.fasterxml.jackson.core.JsonStreamContext source = parser.getParsingContext().getParent();
                handedOut = true;
                consumer.accept(id, parser);     // an exception here is the stream's: nothing to restore
                while (parser.getParsingContext() != source) {      // after a complete read this reads nothing
                    if (parser.nextToken() == null) {
                        throw new IOException("the answer ends inside the document " + id);
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
        return handedOut;
    }

    /** A hit's {@code sort} values: for a listing, one string (the id), read without a tree parser. */
    private static JsonNode sortValues(com.fasterxml.jackson.core.JsonParser parser) throws IOException {
        if (!parser.isExpectedStartArrayToken()) {
            return parser.readValueAsTree();
        }
        com.fasterxml.jackson.databind.node.ArrayNode values = JsonNodeFactory.instance.arrayNode(1);
        for (com.fasterxml.jackson.core.JsonToken token = parser.nextToken();
                token != com.fasterxml.jackson.core.JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == null) {
                throw new IOException("the answer ends inside a sort value");
            }
            if (token == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                values.add(parser.getText());
            } else {
                values.add((JsonNode) parser.readValueAsTree());
            }
        }
        return values;
    }

    /** What {@link #streamHits} saw of one page. */
    public record StreamedPage(int hits, JsonNode lastSort) {
    }

    /** The hits of a search response, in response order. */
    public static List<JsonNode> hits(JsonNode searchResponse) {
        List<JsonNode> hits = new ArrayList<>();
        searchResponse.path("hits").path("hits").forEach(hits::add);
        return hits;
    }

    /** {@code error.type} of an error response, or null. */
    public static String errorType(JsonNode response) {
        JsonNode type = response.path("error").path("type");
        return type.isTextual() ? type.asText() : null;
    }

    /**
     * Whether a non-2xx answer is a data error of the one document or request it answers (retrying
     * it fails the same way) rather than a cluster that cannot serve anyone now. 5xx and 429 never
     * get here ({@link EsClient} turns them into outages). Of the 4xx, these are outages too, because
     * no request can succeed until an operator acts: 401/403 (credentials), 408 (a timeout), and a
     * missing or closed index. Every other 4xx (400 mapping conflicts and parse errors, 413, ...) is a
     * data error.
     */
    public static boolean isDataError(int status, JsonNode response) {
        if (status < 400 || status >= 500 || status == 401 || status == 403 || status == 408 || status == 429) {
            return false;
        }
        String type = errorType(response);
        return !"index_not_found_exception".equals(type) && !"index_closed_exception".equals(type);
    }

    /** A one-line description of an error response for exception messages. */
    public static String errorSummary(int status, JsonNode response) {
        JsonNode error = response.path("error");
        if (error.isObject()) {
            return status + " " + error.path("type").asText("?") + ": " + error.path("reason").asText("");
        }
        if (error.isTextual()) {
            return status + " " + error.asText();
        }
        return "HTTP " + status;
    }
}
