package io.udapi.store.file;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udapi.store.UsageLog;
import io.udapi.store.error.StoreUnavailableException;
import io.udapi.token.TokenUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code usage.json} of the file store: one object {@code {tokenId: {lastUsedAt, previousSecretLastUsedAt}}}
 * for the single instance a file store serves, rewritten atomically by each flush. Synchronized: the
 * flusher and deletions are the only callers, a few times a minute.
 */
final class FileUsageLog implements UsageLog {

    private static final TypeReference<Map<String, TokenUsage>> TYPE = new TypeReference<>() {
    };

    private final Path file;
    private final ObjectMapper json;

    FileUsageLog(Path file, ObjectMapper json) {
        this.file = file;
        this.json = json;
    }

    @Override
    public synchronized void write(String node, Map<String, TokenUsage> usage) {
        Map<String, TokenUsage> all = new HashMap<>(readAll());
        usage.forEach((id, u) -> all.merge(id, u, TokenUsage::merge));
        save(all);
    }

    @Override
    public synchronized Map<String, TokenUsage> readAll() {
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            return json.readValue(Files.readAllBytes(file), TYPE);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void delete(String tokenId) {
        Map<String, TokenUsage> all = new HashMap<>(readAll());
        if (all.remove(tokenId) != null) {
            save(all);
        }
    }

    private void save(Map<String, TokenUsage> all) {
        try {
            DurableFiles.privateDirectory(file.getParent());
            DurableFiles.writeAtomically(file, json.writeValueAsBytes(all));
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
