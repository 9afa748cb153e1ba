package io.udapi.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.udapi.store.AbstractUsageLogContractTest;
import io.udapi.store.StoreJson;
import io.udapi.store.UsageLog;
import io.udapi.token.TokenUsage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage contract on the file store, plus reopening its directory. */
class FileUsageLogContractTest extends AbstractUsageLogContractTest {

    @TempDir
    Path dir;

    @Override
    protected UsageLog usageLog() {
        return new FileStore(dir, StoreJson.mapper()).usage();
    }

    @Test
    void reopeningTheDirectoryFindsTheUsage() {
        usageLog().write("node-a", Map.of("t1", new TokenUsage(T0, null)));
        assertEquals(Map.of("t1", new TokenUsage(T0, null)), new FileStore(dir, StoreJson.mapper()).usage().readAll());
    }
}
