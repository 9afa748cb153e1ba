package io.udapi.store.es;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.udapi.store.Repository;
import io.udapi.store.Versioned;
import io.udapi.store.error.DuplicateIdException;
import io.udapi.store.error.ObjectNotFoundException;
import io.udapi.store.error.StoreDataException;
import io.udapi.store.error.StoreException;
import io.udapi.store.error.StoreUnavailableException;
import io.udapi.store.error.VersionConflictException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One kind of object in one index, a document per object with {@code _id} = the object's id.
 *
 * <p>Concurrency: every update and delete is a compare-and-set. The current document is read
 * (a realtime GET, which sees the latest write without a refresh), its {@code version} field is
 * compared with the one the caller based its change on, and the write carries the read's
 * {@code if_seq_no}/{@code if_primary_term}, so a change that lands between the read and the write
 * makes Elasticsearch answer 409, reported as {@link VersionConflictException}. External versioning
 * ({@code version_type=external}) was rejected: it accepts any higher version, not exactly the next
 * one, and it would silently create an object on update of a missing id.
 *
 * <p>Writes use {@code refresh=true}, so a {@link #list()} right after an acknowledged write sees it.
 * {@code wait_for} would block each write for up to the refresh interval (1 s); admin writes are rare
 * and small, so the forced refresh of this one-shard index is the cheaper choice.
 *
 * <p>Threading: stateless apart from the index guard; safe for any number of worker threads. Blocking.
 */
final class EsRepository<T extends Versioned> implements Repository<T> {

    private static final Logger LOG = Logger.getLogger(EsRepository.class);
    private static final Map<String, String> REFRESH = Map.of("refresh", "true");

    private final EsClient es;
    private final EsDocuments docs;
    private final EsIndex index;
    private final Class<T> type;
    private final int pageSize;

    EsRepository(EsClient es, EsDocuments docs, EsIndex index, Class<T> type, int pageSize) {
        this.es = es;
        this.docs = docs;
        this.index = index;
        this.type = type;
        this.pageSize = pageSize;
    }

    @Override
    public List<T> list() {
        index.ensure();
        List<T> all = new ArrayList<>();
        JsonNode after = null;
        while (true) {
            EsClient.Reply page = es.perform("POST", "/" + index.name + "/_search", Map.of(),
                    docs.write(EsQueries.listPage(pageSize, after)));
            if (!page.ok()) {
                throw unexpected("list", page);
            }
            List<JsonNode> hits = EsDocuments.hits(page.body());
            for (JsonNode hit : hits) {
                read(hit.path("_id").asText(), hit.path("_source")).ifPresent(all::add);
            }
            if (hits.size() < pageSize) {
                return all;
            }
            after = hits.get(hits.size() - 1).get("sort");
        }
    }

    /**
     * The object, or empty when there is no document. A document that exists but cannot be read is a
     * {@link StoreDataException} ({@code unreadable}), not an absence: the sync loop must not remove
     * the object from memory because its stored form is damaged.
     */
    @Override
    public Optional<T> find(String id) {
        return current(id).map(doc -> {
            try {
                return docs.objectOf(doc.source(), type);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new StoreDataException(StoreDataException.Kind.unreadable, 0, "cannot read " + what(id)
                        + " in " + index.name + ": " + EsDocuments.readFailure(e));
            }
        });
    }

    @Override
    public void create(T value) {
        index.ensure();
        EsClient.Reply reply = es.perform("PUT", path("_create", value.id()), REFRESH,
                docs.write(docs.objectDocument(value)));
        if (reply.status() == 409) {
            throw new DuplicateIdException(what(value.id()) + " exists already");
        }
        if (!reply.ok()) {
            throw unexpected("create " + value.id(), reply);
        }
    }

    @Override
    public void update(T value) {
        Current current = current(value.id())
                .orElseThrow(() -> new ObjectNotFoundException(what(value.id()) + " does not exist"));
        if (current.version() + 1 != value.version()) {
            throw new VersionConflictException(what(value.id()) + " is at version " + current.version()
                    + ", the update was based on " + (value.version() - 1));
        }
        EsClient.Reply reply = es.perform("PUT", path("_doc", value.id()), current.casParams(),
                docs.write(docs.objectDocument(value)));
        if (reply.status() == 409) {
            throw new VersionConflictException(what(value.id()) + " was changed concurrently");
        }
        if (!reply.ok()) {
            throw unexpected("update " + value.id(), reply);
        }
    }

    @Override
    public void delete(String id, long expectedVersion) {
        Current current = current(id).orElseThrow(() -> new ObjectNotFoundException(what(id) + " does not exist"));
        if (current.version() != expectedVersion) {
            throw new VersionConflictException(what(id) + " is at version " + current.version() + ", not "
                    + expectedVersion);
        }
        EsClient.Reply reply = es.perform("DELETE", path("_doc", id), current.casParams(), null);
        if (reply.status() == 404) {
            throw new ObjectNotFoundException(what(id) + " was deleted concurrently");
        }
        if (reply.status() == 409) {
            throw new VersionConflictException(what(id) + " was changed concurrently");
        }
        if (!reply.ok()) {
            throw unexpected("delete " + id, reply);
        }
    }

    /** The stored document with what a compare-and-set needs. */
    private record Current(JsonNode source, long version, long seqNo, long primaryTerm) {
        Map<String, String> casParams() {
            return Map.of("if_seq_no", Long.toString(seqNo), "if_primary_term", Long.toString(primaryTerm),
                    "refresh", "true");
        }
    }

    private Optional<Current> current(String id) {
        index.ensure();
        EsClient.Reply reply = es.perform("GET", path("_doc", id), Map.of(), null);
        if (reply.status() == 404 && EsDocuments.errorType(reply.body()) == null) {
            return Optional.empty();    // {"found": false}; an error body would mean a missing index
        }
        if (!reply.ok()) {
            throw unexpected("read " + id, reply);
        }
        JsonNode body = reply.body();
        if (!body.path("found").asBoolean(false)) {
            return Optional.empty();
        }
        JsonNode source = body.path("_source");
        return Optional.of(new Current(source, EsDocuments.versionOf(source), body.path("_seq_no").asLong(),
                body.path("_primary_term").asLong()));
    }

    /** Data errors are logged and skipped, like an unreadable file in the file store. */
    private Optional<T> read(String id, JsonNode source) {
        try {
            return Optional.of(docs.objectOf(source, type));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.errorf("skipping unreadable %s in %s: %s", id, index.name, EsDocuments.readFailure(e));
            return Optional.empty();
        }
    }

    private String path(String endpoint, String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("an id is required");
        }
        return "/" + index.name + "/" + endpoint + "/" + EsClient.encode(id);
    }

    private String what(String id) {
        return type.getSimpleName() + " " + id;
    }

    /**
     * A refusal the caller has no typed answer for: a {@link StoreDataException} when it is about this
     * document or request (see {@link EsDocuments#isDataError}), else an outage.
     */
    private StoreException unexpected(String operation, EsClient.Reply reply) {
        String message = "Elasticsearch refused " + type.getSimpleName() + " " + operation + " in " + index.name + ": "
                + reply.summary();
        if (EsDocuments.isDataError(reply.status(), reply.body())) {
            return new StoreDataException(StoreDataException.Kind.refused, reply.status(), message);
        }
        LOG.errorf("%s", message);
        return new StoreUnavailableException(message);
    }
}
