package io.udapi.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.udapi.limit.NanoClock;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both engines read their deadlines from the {@link NanoClock} they are given (docs/decisions.md, "Script
 * timeout": it counts from submission, queue wait included). A clock that moves a whole timeout
 * between two readings makes every run late before it starts, with no sleep and no real timeout: the engine
 * answers {@link ScriptResult.TimedOut} and never starts the script or sends the call.
 */
class EngineClockTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path root;

    /** Each reading is one whole {@link #TIMEOUT} after the one before. */
    private static NanoClock steppingByTheTimeout() {
        AtomicLong now = new AtomicLong(7_654_321_987_654_321L); // an arbitrary origin, as System.nanoTime has
        return () -> now.getAndAdd(TIMEOUT.toNanos());
    }

    private static ScriptResult result(CompletionStage<ScriptResult> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void processEngineWhenTheDeadlinePassesBeforeTheRunStartsThenTimedOutAndTheScriptNeverRuns() throws Exception {
        Path dir = Files.createDirectory(root.resolve("scripts"));
        Path ran = root.resolve("ran");
        Path script = dir.resolve("mark");
        Files.writeString(script, "#!/bin/sh\ntouch '" + ran + "'\necho '{\"responseCode\": 200}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessScriptEngine engine = new ProcessScriptEngine(dir, new ScriptLimits(TIMEOUT, 2, 2,
                ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES), new ScriptOutputParser(ScriptOutputParser.DEFAULT_MAX_BODY_BYTES),
                WorkerSettings.defaults(), steppingByTheTimeout());
        try {
            assertEquals(new ScriptResult.TimedOut(TIMEOUT), result(engine.onApiTrigger("mark", "{}".getBytes())));
            assertEquals(new ScriptResult.TimedOut(TIMEOUT), result(engine.run("mark", Map.of())));
        } finally {
            engine.close();
        }
        assertFalse(Files.exists(ran), "the script was started after its deadline");
    }

    @Test
    void httpEngineWhenTheDeadlinePassesBeforeTheCallIsSentThenTimedOutWithoutConnecting() throws Exception {
        Vertx vertx = Vertx.vertx();
        // port 9 (discard) on loopback: nothing listens, so a sent call would answer Unreachable, not TimedOut
        HttpScriptEngine engine = new HttpScriptEngine(vertx, URI.create("http://127.0.0.1:9/"), 4,
                new ScriptLimits(TIMEOUT, 2, 2, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES),
                new ScriptOutputParser(ScriptOutputParser.DEFAULT_MAX_BODY_BYTES), steppingByTheTimeout());
        try {
            assertEquals(new ScriptResult.TimedOut(TIMEOUT), result(engine.onApiTrigger("s", "{}".getBytes())));
            assertEquals(new ScriptResult.TimedOut(TIMEOUT), result(engine.run("s", Map.of())));
            assertEquals(0, engine.queueDepth());
        } finally {
            engine.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
