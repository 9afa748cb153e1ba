package io.udapi.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A temporary scripts directory of real {@code /bin/sh} scripts and a {@link ProcessScriptEngine} over it,
 * closed after each test; {@link #engine} replaces it with other limits.
 */
abstract class ScriptsDirFixture {
    @TempDir
    Path root;
    Path dir;
    ProcessScriptEngine engine;

    @BeforeEach
    void createScriptsDir() throws IOException {
        dir = Files.createDirectory(root.resolve("scripts"));
        engine(Duration.ofSeconds(20), 4, 10, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    ProcessScriptEngine engine(Duration timeout, int concurrency, int queue, long maxOutput) {
        if (engine != null) {
            engine.close();
        }
        engine = new ProcessScriptEngine(dir, new ScriptLimits(timeout, concurrency, queue, maxOutput),
                new ScriptOutputParser(ScriptOutputParser.DEFAULT_MAX_BODY_BYTES));
        return engine;
    }

    /** An executable {@code /bin/sh} script {@code name} in the scripts directory. */
    Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    static ScriptResult result(CompletionStage<ScriptResult> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
