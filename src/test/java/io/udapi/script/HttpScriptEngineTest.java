package io.udapi.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real Vert.x HTTP server on a random loopback port playing the script sidecar. */
class HttpScriptEngineTest {
    private static final byte[] INPUT = "{\"requestMethod\":\"POST\",\"rawBody\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

    record Seen(String method, String path, String contentType, String body, HttpConnection connection, String requestId) {
    }

    static Vertx vertx;
    HttpServer server;
    volatile Handler<HttpServerRequest> behaviour;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final BlockingQueue<HttpServerRequest> held = new LinkedBlockingQueue<>();
    HttpScriptEngine engine;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void startServer() throws Exception {
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            seen.add(new Seen(req.method().name(), req.path(), req.getHeader("Content-Type"), body.toString(), req.connection(),
                    req.getHeader("X-Request-Id")));
            behaviour.handle(req);
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        engine(Duration.ofSeconds(10), 8, 8, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        held.forEach(r -> r.connection().close());
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpScriptEngine engine(Duration timeout, int concurrency, int queue, long maxOutput) {
        return engine(URI.create("http://127.0.0.1:" + server.actualPort() + "/base/"), timeout, concurrency, queue, maxOutput);
    }

    private HttpScriptEngine engine(URI url, Duration timeout, int concurrency, int queue, long maxOutput) {
        if (engine != null) {
            engine.close();
        }
        engine = new HttpScriptEngine(vertx, url, 4, new ScriptLimits(timeout, concurrency, queue, maxOutput),
                new ScriptOutputParser(ScriptOutputParser.DEFAULT_MAX_BODY_BYTES));
        return engine;
    }

    private void answer(int status, String body) {
        behaviour = req -> req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    private static ScriptResult result(CompletionStage<ScriptResult> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    // ---- OnApiTrigger ----

    @Test
    void onApiTriggerWhen200ThenPostsTheInputAndParsesTheOutput() throws Exception {
        answer(200, "{\"responseCode\":201,\"responseBody\":\"hi\",\"responseHeaders\":{\"X-A\":[\"1\"]}}");
        ScriptResult.Responded r = (ScriptResult.Responded) result(engine.onApiTrigger("my.script", INPUT));
        assertEquals(201, r.status());
        assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), r.body());
        assertEquals(Map.of("X-A", List.of("1"), "Content-Type", List.of("application/json")), r.headers());
        Seen s = seen.get(0);
        assertEquals("POST", s.method());
        assertEquals("/base/scripts/my.script/on-api-trigger", s.path());
        assertEquals("application/json", s.contentType());
        assertEquals(new String(INPUT, StandardCharsets.UTF_8), s.body());
    }

    @Test
    void onApiTriggerWhen200WithInvalidOutputThenTheParserRulesApply() throws Exception {
        answer(200, "{\"responseCode\":200,\"responseHeaders\":{\"Set-Cookie\":[\"a=b\"]}}");
        assertEquals(new ScriptResult.BlockedHeader("Set-Cookie"), result(engine.onApiTrigger("s", INPUT)));
        answer(200, "not json");
        assertInstanceOf(ScriptResult.InvalidOutput.class, result(engine.onApiTrigger("s", INPUT)));
    }

    @Test
    void onApiTriggerWhenOutputIsLargeThenParsedOffTheEventLoopAndWhole() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024];
        answer(200, "{\"responseCode\":200,\"responseBodyBytes\":\"" + Base64.getEncoder().encodeToString(body) + "\"}");
        ScriptResult.Responded r = (ScriptResult.Responded) result(engine.onApiTrigger("s", INPUT));
        assertEquals(body.length, r.body().length);
    }

    @Test
    void onApiTriggerWhen404ThenNotFound() throws Exception {
        answer(404, "{}");
        assertEquals(new ScriptResult.NotFound("s"), result(engine.onApiTrigger("s", INPUT)));
    }

    @Test
    void onApiTriggerWhen404WithAHugeBodyThenStillNotFound() throws Exception {
        answer(404, "x".repeat(1024 * 1024));
        assertEquals(new ScriptResult.NotFound("s"), result(engine.onApiTrigger("s", INPUT)));
    }

    @Test
    void onApiTriggerWhenOtherStatusThenFailed() throws Exception {
        for (int status : List.of(500, 503, 422, 201, 302)) {
            answer(status, "{\"responseCode\":200}");
            assertEquals(new ScriptResult.Failed("Script 's' failed (the engine answered " + status + ")."),
                    result(engine.onApiTrigger("s", INPUT)), "status " + status);
        }
    }

    // ---- Run ----

    @Test
    void runWhen200ThenCompletedAndParametersArePosted() throws Exception {
        answer(200, "");
        assertEquals(new ScriptResult.Completed(), result(engine.run("job", Map.of("a", "1", "b", ""))));
        Seen s = seen.get(0);
        assertEquals("/base/scripts/job/run", s.path());
        assertEquals(Map.of("parameters", Map.of("a", "1", "b", "")), new ObjectMapper().readValue(s.body(), Map.class));
        assertEquals(null, s.requestId(), "a run of no request sends no request id");
    }

    /** SPEC 2: the trigger's request id is passed to the script; a Run's goes in X-Request-Id. */
    @Test
    void runSendsTheTriggersRequestIdAsXRequestId() throws Exception {
        answer(200, "");
        assertEquals(new ScriptResult.Completed(), result(engine.run("job", Map.of(), "7f3c2a90-request")));
        assertEquals("7f3c2a90-request", seen.get(0).requestId());
    }

    @Test
    void runWhen422ThenMissingParameters() throws Exception {
        answer(422, "{\"missingParameters\":[\"x\",\"y\"]}");
        assertEquals(new ScriptResult.MissingParameters(List.of("x", "y")), result(engine.run("job", Map.of())));
    }

    @Test
    void runWhen422WithoutTheListThenFailed() throws Exception {
        answer(422, "{\"error\":\"bad\"}");
        assertInstanceOf(ScriptResult.Failed.class, result(engine.run("job", Map.of())));
    }

    @Test
    void runWhen404ThenNotFoundAndOtherStatusThenFailed() throws Exception {
        answer(404, "");
        assertEquals(new ScriptResult.NotFound("job"), result(engine.run("job", Map.of())));
        answer(500, "boom");
        assertInstanceOf(ScriptResult.Failed.class, result(engine.run("job", Map.of())));
    }

    // ---- transport ----

    @Test
    void whenNothingListensThenUnreachable() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        engine(URI.create("http://127.0.0.1:" + freePort), Duration.ofSeconds(10), 8, 8, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
        assertInstanceOf(ScriptResult.Unreachable.class, result(engine.onApiTrigger("s", INPUT)));
        assertInstanceOf(ScriptResult.Unreachable.class, result(engine.run("s", Map.of())));
    }

    @Test
    void whenServerDoesNotAnswerInTimeThenTimedOut() throws Exception {
        engine(Duration.ofMillis(500), 8, 8, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
        behaviour = held::add;
        long start = System.nanoTime();
        assertEquals(new ScriptResult.TimedOut(Duration.ofMillis(500)), result(engine.onApiTrigger("s", INPUT)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void whenServerTricklesTheBodyPastTheDeadlineThenTimedOut() throws Exception {
        engine(Duration.ofMillis(800), 8, 8, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
        behaviour = req -> {
            req.response().setChunked(true).write("{\"responseCode\":");
            long id = vertx.setPeriodic(100, t -> req.response().write(" "));
            req.connection().closeHandler(v -> vertx.cancelTimer(id));
        };
        assertEquals(new ScriptResult.TimedOut(Duration.ofMillis(800)), result(engine.onApiTrigger("s", INPUT)));
    }

    @Test
    void whenChunkedBodyExceedsTheLimitThenOutputTooLarge() throws Exception {
        long limit = 1024 * 1024;
        engine(Duration.ofSeconds(10), 8, 8, limit);
        Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
        behaviour = req -> {
            var response = req.response().setChunked(true);
            for (int i = 0; i < 32; i++) { // 2 MiB
                response.write(chunk);
            }
            response.end();
        };
        assertEquals(new ScriptResult.OutputTooLarge("output", limit), result(engine.onApiTrigger("s", INPUT)));
    }

    @Test
    void whenContentLengthExceedsTheLimitThenOutputTooLargeBeforeReading() throws Exception {
        long limit = 1024 * 1024;
        engine(Duration.ofSeconds(10), 8, 8, limit);
        answer(200, "x".repeat(2 * 1024 * 1024));
        assertEquals(new ScriptResult.OutputTooLarge("output", limit), result(engine.onApiTrigger("s", INPUT)));
    }

    @Test
    void whenCallsFollowEachOtherThenTheConnectionIsKeptAlive() throws Exception {
        answer(200, "{\"responseCode\":200}");
        result(engine.onApiTrigger("s", INPUT));
        result(engine.onApiTrigger("s", INPUT));
        assertSame(seen.get(0).connection(), seen.get(1).connection());
    }

    @Test
    void whenCalledOnAnEventLoopThenCompletesOnThatContext() throws Exception {
        answer(200, "{\"responseCode\":200}");
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Boolean> sameContext = new CompletableFuture<>();
        context.runOnContext(v -> engine.onApiTrigger("s", INPUT).whenComplete((r, e) ->
                sameContext.complete(e == null && Vertx.currentContext() == context)));
        assertTrue(sameContext.get(30, TimeUnit.SECONDS));
    }

    // ---- bounds ----

    @Test
    void whenEverySlotIsTakenAndNoQueueThenBusy() throws Exception {
        engine(Duration.ofSeconds(10), 1, 0, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
        behaviour = held::add;
        CompletionStage<ScriptResult> first = engine.onApiTrigger("s", INPUT);
        HttpServerRequest request = held.poll(10, TimeUnit.SECONDS);
        assertEquals(new ScriptResult.Busy(), result(engine.onApiTrigger("s", INPUT)));
        assertEquals(new ScriptResult.Busy(), result(engine.run("s", Map.of())));
        request.response().end("{\"responseCode\":200}");
        assertInstanceOf(ScriptResult.Responded.class, result(first));
    }

    @Test
    void whenSlotIsTakenThenCallsQueueUpToTheLimitAndRunInTurn() throws Exception {
        engine(Duration.ofSeconds(10), 1, 1, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
        behaviour = held::add;
        CompletionStage<ScriptResult> first = engine.onApiTrigger("s", INPUT);
        HttpServerRequest r1 = held.poll(10, TimeUnit.SECONDS);
        CompletionStage<ScriptResult> second = engine.onApiTrigger("s", INPUT);
        assertEquals(1, engine.queueDepth());
        assertEquals(new ScriptResult.Busy(), result(engine.onApiTrigger("s", INPUT)));
        r1.response().end("{\"responseCode\":200}");
        assertInstanceOf(ScriptResult.Responded.class, result(first));
        HttpServerRequest r2 = held.poll(10, TimeUnit.SECONDS);
        assertEquals(0, engine.queueDepth());
        r2.response().end("{\"responseCode\":202}");
        assertEquals(202, ((ScriptResult.Responded) result(second)).status());
    }

    @Test
    void callsMadeOnAnEventLoopAdmittedAtOnceOrAfterWaitingAnswerInTurn() throws Exception {
        engine(Duration.ofSeconds(10), 1, 1, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
        behaviour = held::add;
        io.vertx.core.Context loop = vertx.getOrCreateContext();
        List<CompletionStage<ScriptResult>> calls = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch made = new java.util.concurrent.CountDownLatch(1);
        loop.runOnContext(v -> {                // as the trigger route calls it
            calls.add(engine.onApiTrigger("s", INPUT));     // admitted at once
            calls.add(engine.onApiTrigger("s", INPUT));     // waits for the first one's permit
            calls.add(engine.onApiTrigger("s", INPUT));     // no place left
            made.countDown();
        });
        assertTrue(made.await(10, TimeUnit.SECONDS));
        HttpServerRequest r1 = held.poll(10, TimeUnit.SECONDS);
        assertEquals(new ScriptResult.Busy(), result(calls.get(2)));
        assertEquals(1, engine.queueDepth());
        r1.response().end("{\"responseCode\":201}");
        assertEquals(201, ((ScriptResult.Responded) result(calls.get(0))).status());
        HttpServerRequest r2 = held.poll(10, TimeUnit.SECONDS);
        r2.response().end("{\"responseCode\":202}");
        assertEquals(202, ((ScriptResult.Responded) result(calls.get(1))).status());
        assertEquals(0, engine.queueDepth());
    }

    // ---- configuration ----

    @Test
    void scriptNameIsPercentEncodedAsOneSegment() {
        assertEquals("a%20b%2F%C3%A9%3F", HttpScriptEngine.encodeSegment("a b/é?"));
        assertEquals("/base/scripts/deploy.v2_x-y/run", engine.pathOf("deploy.v2_x-y", "run"));
    }

    @Test
    void whenNameIsInvalidThenNotFoundWithoutACall() throws Exception {
        assertEquals(new ScriptResult.NotFound("../x"), result(engine.onApiTrigger("../x", INPUT)));
        assertEquals(List.of(), seen);
    }

    @Test
    void constructorRefusesUrlsThatAreNotPlainHttpOrHttps() {
        ScriptLimits limits = new ScriptLimits(Duration.ofSeconds(1), 1, 0, 1024);
        ScriptOutputParser parser = new ScriptOutputParser(1024);
        for (String url : List.of("ftp://h/", "h:80", "http://h/?q=1", "/relative")) {
            assertThrows(IllegalArgumentException.class, () -> new HttpScriptEngine(vertx, URI.create(url), 4, limits, parser), url);
        }
        new HttpScriptEngine(vertx, URI.create("https://engine.example:8443/x"), 4, limits, parser).close();
    }

    @Test
    void whenClosedThenNotReady() throws Exception {
        engine.close();
        assertInstanceOf(ScriptResult.NotReady.class, result(engine.run("s", Map.of())));
    }
}
