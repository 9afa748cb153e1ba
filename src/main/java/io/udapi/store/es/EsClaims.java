package io.udapi.store.es;

import com.fasterxml.jackson.databind.JsonNode;
import io.udapi.store.Claims;
import io.udapi.store.error.StoreUnavailableException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Claims in {@code <prefix>claims}, a document per claim with {@code _id = kind + ":" + key}.
 * Claiming is {@code op_type=create}, so of two instances creating the same id at once Elasticsearch
 * accepts exactly one (the other gets 409); take-over and release are compare-and-set on the
 * document's {@code _seq_no}/{@code _primary_term}, read by a realtime GET. Writes use
 * {@code refresh=true} like the other indices (realtime GETs do not need it; it keeps the index
 * searchable for operators).
 */
final class EsClaims implements Claims {

    private static final Map<String, String> REFRESH = Map.of("refresh", "true");
    /** Create/read rounds when a claim disappears between our failed create and our read. */
    private static final int ATTEMPTS = 3;

    private final EsClient es;
    private final EsDocuments docs;
    private final EsIndex index;

    EsClaims(EsClient es, EsDocuments docs, EsIndex index) {
        this.es = es;
        this.docs = docs;
        this.index = index;
    }

    private record Current(Claim claim, long seqNo, long primaryTerm) {
        Map<String, String> casParams() {
            return Map.of("if_seq_no", Long.toString(seqNo), "if_primary_term", Long.toString(primaryTerm),
                    "refresh", "true");
        }
    }

    @Override
    public boolean claim(String kind, String key, String ownerId, Instant at) {
        index.ensure();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            EsClient.Reply created = es.perform("PUT", path("_create", kind, key), REFRESH,
                    docs.write(docs.claimDocument(kind, key, ownerId, at)));
            if (created.ok()) {
                return true;
            }
            if (created.status() != 409) {
                throw refused("claim " + kind + ":" + key, created);
            }
            Optional<Current> current = current(kind, key);
            if (current.isPresent()) {
                return current.get().claim().owner().equals(ownerId);
            }
            // released between our create and our read: try again
        }
        return false;
    }

    @Override
    public boolean takeOver(String kind, String key, String expectedOwner, String newOwner, Instant at) {
        Optional<Current> current = current(kind, key);
        if (current.isEmpty()) {
            return claim(kind, key, newOwner, at);
        }
        String owner = current.get().claim().owner();
        if (owner.equals(newOwner)) {
            return true;
        }
        if (!owner.equals(expectedOwner)) {
            return false;
        }
        EsClient.Reply replaced = es.perform("PUT", path("_doc", kind, key), current.get().casParams(),
                docs.write(docs.claimDocument(kind, key, newOwner, at)));
        if (replaced.status() == 409) {
            return false;
        }
        if (!replaced.ok()) {
            throw refused("take over " + kind + ":" + key, replaced);
        }
        return true;
    }

    @Override
    public void release(String kind, String key, String ownerId) {
        Optional<Current> current = current(kind, key);
        if (current.isEmpty() || !current.get().claim().owner().equals(ownerId)) {
            return;
        }
        EsClient.Reply deleted = es.perform("DELETE", path("_doc", kind, key), current.get().casParams(), null);
        if (!deleted.ok() && deleted.status() != 404 && deleted.status() != 409) {
            throw refused("release " + kind + ":" + key, deleted);
        }
    }

    @Override
    public Optional<Claim> owner(String kind, String key) {
        return current(kind, key).map(Current::claim);
    }

    private Optional<Current> current(String kind, String key) {
        index.ensure();
        EsClient.Reply reply = es.perform("GET", path("_doc", kind, key), Map.of(), null);
        if (reply.status() == 404 && EsDocuments.errorType(reply.body()) == null) {
            return Optional.empty();
        }
        if (!reply.ok()) {
            throw refused("read claim " + kind + ":" + key, reply);
        }
        JsonNode body = reply.body();
        Claim claim = EsDocuments.claimOf(body.path("_source"));
        return Optional.of(new Current(claim, body.path("_seq_no").asLong(), body.path("_primary_term").asLong()));
    }

    private String path(String endpoint, String kind, String key) {
        return "/" + index.name + "/" + endpoint + "/" + EsClient.encode(EsDocuments.claimId(kind, key));
    }

    private StoreUnavailableException refused(String operation, EsClient.Reply reply) {
        return new StoreUnavailableException("Elasticsearch refused to " + operation + " in " + index.name + ": "
                + reply.summary());
    }
}
