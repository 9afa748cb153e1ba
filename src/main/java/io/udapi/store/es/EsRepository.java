package io.udapi.store.es;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.udapi.store.Repository;
import io.udapi.audit.Versioned;
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

    /**
     * Every readable object. The id space is cut into {@link EsQueries#LIST_SPLITS ranges} listed in
     * parallel (the caller's thread takes the first, {@link #LISTING} threads the others), each paged
     * with {@code search_after} on the id in pages of {@code pageSize}. Each answer carries the stored
     * sources unfiltered (the cluster's cheapest way to hand them out, see {@link EsQueries#listPage})
     * and is parsed as a stream, binding each object straight from its tokens; no tree or string of a
     * page is built. Why no point in time: OpenSearch's API for it
     * differs, and paging on the unique id already lists every object present throughout exactly once.
     */
    @Override
    public List<T> list() {
        index.ensure();
        List<String> bounds = new ArrayList<>();
        bounds.add(null);
        bounds.addAll(EsQueries.LIST_SPLITS);
        bounds.add(null);
        List<java.util.concurrent.Future<List<T>>> others = new ArrayList<>();
        for (int r = 1; r < bounds.size() - 1; r++) {
            String from = bounds.get(r);
            String to = bounds.get(r + 1);
            others.add(LISTING.submit(() -> listRange(from, to)));
        }
        List<T> all = new ArrayList<>(listRange(bounds.get(0), bounds.get(1)));
        for (java.util.concurrent.Future<List<T>> other : others) {
            try {
                all.addAll(other.get());
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException("interrupted while listing " + index.name, e);
            }
        }
        return all;
    }

    /** Threads for the ranges of a listing beyond the first; daemon, idle between listings. */
    private static final java.util.concurrent.ExecutorService LISTING = new java.util.concurrent.ThreadPoolExecutor(
            0, 4, 30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "udapi-es-listing");
                t.setDaemon(true);
                return t;
            }, new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());

    private List<T> listRange(String fromId, String toId) {
        List<T> all = new ArrayList<>();
        JsonNode after = null;
        while (true) {
            EsDocuments.StreamedPage page = es.stream("POST", "/" + index.name + "/_search",
                    Map.of(),
                    docs.write(EsQueries.listPage(pageSize, after, fromId, toId)),
                    parser -> EsDocuments.streamHits(parser, (id, object) -> bind(id, object).ifPresent(all::add)),
                    reply -> unexpected("list", reply));
            if (page.hits() < pageSize || page.lastSort() == null) {
                return all;
            }
            after = page.lastSort();
        }
    }

    /**
     * Data errors are logged and skipped, like an unreadable file in the file store ({@link EsDocuments#streamHits}
     * finds the next document wherever binding stopped); a broken stream is not a data error and propagates.
     */
    private Optional<T> bind(String id, com.fasterxml.jackson.core.JsonParser object) throws java.io.IOException {
        if (object == null) {
            LOG.errorf("skipping unreadable %s in %s: document has no '%s' object", id, index.name, EsDocuments.OBJECT);
            return Optional.empty();
        }
        try {
            return Optional.of(object.readValueAs(type));
        } catch (com.fasterxml.jackson.core.JsonParseException broken) {     // not JSON: the answer, not the document
            throw broken;
        } catch (java.io.IOException | IllegalArgumentException e) {
            LOG.errorf("skipping unreadable %s in %s: %s", id, index.name, EsDocuments.readFailure(e));
            return Optional.empty();
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
