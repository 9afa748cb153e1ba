package io.udapi.store.es;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.udapi.store.error.StoreUnavailableException;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One index and its one-time creation. The index is created on first use rather than in a constructor,
 * so an instance starts while the cluster is down and simply retries on the next operation.
 *
 * <p>Several instances may start at once: the loser of the creation race gets
 * {@code resource_already_exists_exception}, which counts as success; it then puts the mapping, which
 * is a no-op for an identical one, adds fields an older schema lacked, and fails loudly (as
 * {@link StoreUnavailableException}, since no operation on the index can succeed) on a conflicting one.
 *
 * <p>Limitation: an index deleted while instances run is not re-created by them (and Elasticsearch
 * would auto-create it with a dynamic mapping on the next write); restart the instances.
 */
final class EsIndex {

    private static final Logger LOG = Logger.getLogger(EsIndex.class);

    final String name;
    private final ObjectNode mapping;
    private final EsClient es;
    private final EsDocuments docs;
    private volatile boolean ready;

    EsIndex(String name, ObjectNode mapping, EsClient es, EsDocuments docs) {
        this.name = name;
        this.mapping = mapping;
        this.es = es;
        this.docs = docs;
    }

    void ensure() {
        if (!ready) {
            synchronized (this) {
                if (!ready) {
                    create();
                    ready = true;
                }
            }
        }
    }

    private void create() {
        EsClient.Reply created = es.perform("PUT", "/" + name, Map.of(),
                docs.write(EsDocuments.createIndexBody(mapping)));
        if (created.ok()) {
            LOG.infof("created Elasticsearch index %s", name);
            return;
        }
        if (!"resource_already_exists_exception".equals(EsDocuments.errorType(created.body()))) {
            throw new StoreUnavailableException("cannot create index " + name + ": " + created.summary());
        }
        EsClient.Reply mapped = es.perform("PUT", "/" + name + "/_mapping", Map.of(), docs.write(mapping));
        if (!mapped.ok()) {
            LOG.errorf("index %s exists with a mapping udapi cannot use: %s", name, mapped.summary());
            throw new StoreUnavailableException("index " + name + " has an incompatible mapping: " + mapped.summary());
        }
    }
}
