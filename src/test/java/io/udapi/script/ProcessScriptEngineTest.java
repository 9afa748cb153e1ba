package io.udapi.script;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs real {@code /bin/sh} scripts written into a temporary scripts directory. */
class ProcessScriptEngineTest extends ScriptsDirFixture {
    private static final byte[] INPUT = "{\"requestMethod\":\"POST\",\"rawBody\":\"hi\"}".getBytes(StandardCharsets.UTF_8);
    private static final String OK = "{\"responseCode\":200}";

    private static String q(Path p) {
        return "'" + p + "'";
    }

    // ---- OnApiTrigger ----

    @Test
    void onApiTriggerWhenScriptEchoesStdinThenRespondsWithIt() throws Exception {
        script("echo.sh", "printf '{\"responseCode\":201,\"responseBodyBytes\":\"%s\"}' \"$(base64 | tr -d '\\n')\"");
        ScriptResult.Responded r = (ScriptResult.Responded) result(engine.onApiTrigger("echo.sh", INPUT));
        assertEquals(201, r.status());
        assertArrayEquals(INPUT, r.body());
        assertEquals(List.of("application/octet-stream"), r.headers().get("Content-Type"));
    }

    @Test
    void onApiTriggerWhenInputIsLargerThanAPipeThenItIsStreamedWhole() throws Exception {
        script("echo.sh", "printf '{\"responseCode\":200,\"responseBodyBytes\":\"%s\"}' \"$(base64 | tr -d '\\n')\"");
        byte[] big = new byte[1024 * 1024];
        Arrays.fill(big, (byte) 'x');
        ScriptResult.Responded r = (ScriptResult.Responded) result(engine.onApiTrigger("echo.sh", big));
        assertArrayEquals(big, r.body());
    }

    @Test
    void onApiTriggerWhenScriptIgnoresALargeStdinThenNoDeadlock() throws Exception {
        script("ignore.sh", "echo '" + OK + "'");
        assertInstanceOf(ScriptResult.Responded.class, result(engine.onApiTrigger("ignore.sh", new byte[2 * 1024 * 1024])));
    }

    @Test
    void onApiTriggerSetsEntryPointAndPassesNoSecretsInTheEnvironment() throws Exception {
        script("env.sh", "printf '{\"responseCode\":200,\"responseHeaders\":{\"X-Entry\":[\"%s\"],\"X-Name\":[\"%s\"],\"X-Env\":[\"%s\"]}}' "
                + "\"$UDAPI_ENTRY_POINT\" \"$UDAPI_SCRIPT_NAME\" \"$(env | cut -d= -f1 | sort | tr '\\n' ' ')\"");
        ScriptResult.Responded r = (ScriptResult.Responded) result(engine.onApiTrigger("env.sh", INPUT));
        assertEquals(List.of("OnApiTrigger"), r.headers().get("X-Entry"));
        assertEquals(List.of("env.sh"), r.headers().get("X-Name"));
        Set<String> seen = new HashSet<>(Arrays.asList(r.headers().get("X-Env").get(0).trim().split(" ")));
        Set<String> allowed = new HashSet<>(ProcessScriptEngine.INHERITED_ENV);
        allowed.addAll(Set.of("UDAPI_ENTRY_POINT", "UDAPI_SCRIPT_NAME", "PWD", "OLDPWD", "SHLVL", "_"));
        seen.removeAll(allowed);
        assertEquals(Set.of(), seen, "variables inherited beyond the allow-list");
    }

    @Test
    void onApiTriggerWhenScriptPrintsInvalidOutputThenInvalidOutput() throws Exception {
        script("bad.sh", "echo not json; echo 'stderr is logged' >&2");
        assertInstanceOf(ScriptResult.InvalidOutput.class, result(engine.onApiTrigger("bad.sh", INPUT)));
    }

    @Test
    void onApiTriggerWhenExitIsNonZeroThenFailedWhateverItPrinted() throws Exception {
        script("fail.sh", "echo '" + OK + "'; echo boom >&2; exit 3");
        assertEquals(new ScriptResult.Failed("Script 'fail.sh' exited with code 3."), result(engine.onApiTrigger("fail.sh", INPUT)));
    }

    @Test
    void onApiTriggerWhenCalledOnAnEventLoopThenCompletesOnThatContext() throws Exception {
        script("ok.sh", "echo '" + OK + "'");
        Vertx vertx = Vertx.vertx();
        try {
            Context context = vertx.getOrCreateContext();
            CompletableFuture<Boolean> sameContext = new CompletableFuture<>();
            context.runOnContext(v -> engine.onApiTrigger("ok.sh", INPUT).whenComplete((r, e) ->
                    sameContext.complete(e == null && Vertx.currentContext() == context && Context.isOnEventLoopThread())));
            assertTrue(sameContext.get(30, TimeUnit.SECONDS));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    // ---- Run ----

    @Test
    void runWhenDeclaredParametersArePresentThenCompletesAndPassesAllParameters() throws Exception {
        Path out = root.resolve("stdin.json");
        script("job", "[ \"$UDAPI_ENTRY_POINT\" = Run ] || exit 9\ncat > " + q(out));
        Files.writeString(dir.resolve("job.params"), "a\n\n   b  \n");
        Map<String, String> params = Map.of("a", "1", "b", "", "extra", "not declared");
        assertEquals(new ScriptResult.Completed(), result(engine.run("job", params)));
        assertEquals(params, new ObjectMapper().readValue(out.toFile(), new TypeReference<Map<String, String>>() { }));
    }

    @Test
    void runWhenDeclaredParameterIsMissingThenMissingParametersWithoutSpawning() throws Exception {
        Path marker = root.resolve("ran");
        script("job", "touch " + q(marker));
        Files.writeString(dir.resolve("job.params"), "a\nb\nc\n");
        assertEquals(new ScriptResult.MissingParameters(List.of("b", "c")), result(engine.run("job", Map.of("a", "1"))));
        assertFalse(Files.exists(marker), "the script must not run");
    }

    @Test
    void runWithoutParamsFileThenAnyParametersAreAccepted() throws Exception {
        script("job", "[ \"$UDAPI_ENTRY_POINT\" = Run ] || exit 9");
        assertEquals(new ScriptResult.Completed(), result(engine.run("job", Map.of())));
    }

    @Test
    void runWhenExitIsNonZeroThenFailed() throws Exception {
        script("job", "echo some output; exit 1");
        assertInstanceOf(ScriptResult.Failed.class, result(engine.run("job", Map.of())));
    }

    // ---- resolution ----

    @Test
    void whenScriptDoesNotExistThenNotFound() throws Exception {
        assertEquals(new ScriptResult.NotFound("nope"), result(engine.onApiTrigger("nope", INPUT)));
        assertEquals(new ScriptResult.NotFound("nope"), result(engine.run("nope", Map.of())));
    }

    @Test
    void whenNameWouldLeaveTheDirectoryThenRefusedAsNotFound() throws Exception {
        Path outside = root.resolve("x");
        Files.writeString(outside, "#!/bin/sh\necho '" + OK + "'\n");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String name : List.of("../x", "/etc/passwd", "..", ".", "", "sub/../../x", root + "/x")) {
            assertEquals(new ScriptResult.NotFound(name), result(engine.onApiTrigger(name, INPUT)), name);
        }
    }

    @Test
    void whenScriptIsASymlinkLeavingTheDirectoryThenRefused() throws Exception {
        Path outside = root.resolve("x");
        Files.writeString(outside, "#!/bin/sh\necho '" + OK + "'\n");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(dir.resolve("link"), outside);
        assertEquals(new ScriptResult.NotFound("link"), result(engine.onApiTrigger("link", INPUT)));
        // a link that stays inside the directory is fine
        Files.createSymbolicLink(dir.resolve("inner"), script("real.sh", "echo '" + OK + "'"));
        assertInstanceOf(ScriptResult.Responded.class, result(engine.onApiTrigger("inner", INPUT)));
    }

    @Test
    void whenNameIsADirectoryThenNotFoundAndWhenNotExecutableThenFailed() throws Exception {
        Files.createDirectory(dir.resolve("sub"));
        assertEquals(new ScriptResult.NotFound("sub"), result(engine.onApiTrigger("sub", INPUT)));
        Files.writeString(dir.resolve("plain"), "#!/bin/sh\nexit 0\n");
        assertInstanceOf(ScriptResult.Failed.class, result(engine.onApiTrigger("plain", INPUT)));
    }

    // ---- limits ----

    @Test
    void whenScriptRunsPastTheTimeoutThenItAndItsChildrenAreKilled() throws Exception {
        engine(Duration.ofMillis(1500), 4, 10, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
        Path parentPid = root.resolve("parent.pid");
        Path childPid = root.resolve("child.pid");
        script("slow", "sleep 100 &\necho $! > " + q(childPid) + "\necho $$ > " + q(parentPid) + "\nwait");
        long start = System.nanoTime();
        ScriptResult r = result(engine.onApiTrigger("slow", INPUT));
        assertEquals(new ScriptResult.TimedOut(Duration.ofMillis(1500)), r);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "answered near the timeout");
        long parent = Long.parseLong(Files.readString(parentPid).trim());
        long child = Long.parseLong(Files.readString(childPid).trim());
        await().atMost(Duration.ofSeconds(5)).until(() -> !isRunning(parent) && !isRunning(child));
    }

    @Test
    void whenStdoutExceedsTheLimitThenOutputTooLargeAndReadingStops() throws Exception {
        long limit = 1024 * 1024;
        engine(Duration.ofSeconds(20), 4, 10, limit);
        script("flood", "yes");
        long start = System.nanoTime();
        assertEquals(new ScriptResult.OutputTooLarge("output", limit), result(engine.onApiTrigger("flood", INPUT)));
        // `yes` never stops: an answer at all means reading stopped and the process was killed.
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
        assertTrue(engine.peakBufferedStdout() <= limit + BoundedOutput.CHUNK,
                "buffered " + engine.peakBufferedStdout() + " bytes for a limit of " + limit);
    }

    @Test
    void whenStdoutIsExactlyAtTheLimitThenParsed() throws Exception {
        engine(Duration.ofSeconds(20), 4, 10, OK.length());
        script("ok", "printf '%s' '" + OK + "'");
        assertInstanceOf(ScriptResult.Responded.class, result(engine.onApiTrigger("ok", INPUT)));
    }

    @Test
    void whenEverySlotIsTakenAndNoQueueThenBusy() throws Exception {
        engine(Duration.ofSeconds(20), 1, 0, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
        Path started = root.resolve("started");
        Path release = root.resolve("release");
        script("block", "touch " + q(started) + "\nwhile [ ! -e " + q(release) + " ]; do sleep 0.02; done\necho '" + OK + "'");
        CompletionStage<ScriptResult> first = engine.onApiTrigger("block", INPUT);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(started));
        assertEquals(new ScriptResult.Busy(), result(engine.onApiTrigger("block", INPUT)));
        assertEquals(new ScriptResult.Busy(), result(engine.run("block", Map.of())));
        Files.createFile(release);
        assertInstanceOf(ScriptResult.Responded.class, result(first));
    }

    @Test
    void whenSlotIsTakenThenRunsQueueUpToTheLimitAndTheQueueDepthShowsThem() throws Exception {
        engine(Duration.ofSeconds(20), 1, 1, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
        Path started = root.resolve("started");
        Path release = root.resolve("release");
        script("block", "touch " + q(started) + "\nwhile [ ! -e " + q(release) + " ]; do sleep 0.02; done\necho '" + OK + "'");
        CompletionStage<ScriptResult> first = engine.onApiTrigger("block", INPUT);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(started));
        CompletionStage<ScriptResult> queued = engine.onApiTrigger("block", INPUT);
        assertEquals(1, engine.queueDepth());
        assertEquals(new ScriptResult.Busy(), result(engine.onApiTrigger("block", INPUT)));
        Files.createFile(release);
        assertInstanceOf(ScriptResult.Responded.class, result(first));
        assertInstanceOf(ScriptResult.Responded.class, result(queued));
        assertEquals(0, engine.queueDepth());
    }

    @Test
    void whenClosedThenNotReady() throws Exception {
        engine.close();
        assertInstanceOf(ScriptResult.NotReady.class, result(engine.onApiTrigger("x", INPUT)));
    }

    // ---- bounded reader ----

    @Test
    void boundedOutputNeverReadsMoreThanOneBytePastTheLimit() throws Exception {
        long[] served = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                served[0]++;
                return 'y';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 'y');
                served[0] += len;
                return len;
            }
        };
        long limit = 3 * BoundedOutput.CHUNK + 17;
        BoundedOutput out = BoundedOutput.read(endless, limit);
        assertTrue(out.exceeded());
        assertEquals(limit + 1, served[0]);
        assertTrue(out.bufferedCapacity() <= limit + 1);
    }

    /** Alive and not a zombie (a killed orphan may wait for a PID 1 that does not reap). */
    private static boolean isRunning(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                char state = stat.charAt(stat.lastIndexOf(')') + 2);
                return state != 'Z' && state != 'X';
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }
}
