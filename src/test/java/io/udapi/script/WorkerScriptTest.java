package io.udapi.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Worker scripts (docs/workers.md) with real processes: {@code /bin/sh} workers, and Python for the one that
 * answers several requests at once out of order. Each sh worker answers with its pid, so a test sees which
 * process served which request.
 */
class WorkerScriptTest extends ScriptsDirFixture {
    /** A sh worker that answers every request with its own pid as the body. */
    private static final String PID_WORKER = """
            while IFS= read -r line; do
              id=${line#*\\"id\\":\\"}; id=${id%%\\"*}
              printf '{"id":"%s","responseCode":200,"responseBody":"%s"}\\n' "$id" "$$"
            done""";

    private static byte[] input(String rawBody) {
        return ("{\"requestMethod\":\"POST\",\"route\":\"w\",\"rawBody\":\"" + rawBody + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private void worker(String name, String body, String settings) throws IOException {
        script(name, body);
        Files.writeString(dir.resolve(name + WorkerSettings.SUFFIX), settings);
    }

    private static String body(ScriptResult result) {
        return new String(assertInstanceOf(ScriptResult.Responded.class, result).body(), StandardCharsets.UTF_8);
    }

    private String trigger(String name, String rawBody) throws Exception {
        return body(result(engine.onApiTrigger(name, input(rawBody))));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void onApiTriggerWhenTheScriptHasAWorkerFileThenOneProcessServesEveryTrigger() throws Exception {
        worker("w", PID_WORKER, "max=1\n");
        Set<String> pids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            pids.add(trigger("w", "n" + i));
        }
        assertEquals(1, pids.size(), "one process served all 50: " + pids);
        assertEquals(1, engine.workersStarted("w"));
        assertEquals(List.of(Long.parseLong(pids.iterator().next())), engine.workerPids("w"));
    }

    @Test
    void runWhenTheScriptIsAWorkerThenItGetsTheParametersAndAnErrorFieldFailsTheRun() throws Exception {
        worker("r", """
                while IFS= read -r line; do
                  id=${line#*\\"id\\":\\"}; id=${id%%\\"*}
                  case "$line" in
                    *'"entryPoint":"Run","parameters":{"who":"fail"}'*) printf '{"id":"%s","error":"asked to fail"}\\n' "$id" ;;
                    *'"entryPoint":"Run","parameters":{"who":"ops"}'*) printf '{"id":"%s"}\\n' "$id" ;;
                    *) printf '{"id":"%s","error":"unexpected: %s"}\\n' "$id" "$(printf %s "$line" | tr -d '"\\\\')" ;;
                  esac
                done""", "");
        Files.writeString(dir.resolve("r.params"), "who\n");

        assertInstanceOf(ScriptResult.Completed.class, result(engine.run("r", Map.of("who", "ops"))));
        ScriptResult failed = result(engine.run("r", Map.of("who", "fail")));
        assertInstanceOf(ScriptResult.Failed.class, failed, "an error field is a failed run, whatever the exit code");
        ScriptResult missing = result(engine.run("r", Map.of()));
        assertEquals(List.of("who"), assertInstanceOf(ScriptResult.MissingParameters.class, missing).names(),
                "declared parameters are checked before the worker sees the request");
        assertEquals(1, engine.workersStarted("r"));
    }

    @Test
    void concurrentTriggersWhenAWorkerAnswersOutOfOrderThenEveryAnswerReachesItsOwnRequest() throws Exception {
        worker("py", """
                exec python3 -c '
                import json, random, sys, threading, time
                lock = threading.Lock()
                def handle(request):
                    time.sleep(random.random() / 50)
                    line = json.dumps({"id": request["id"], "responseCode": 200, "responseBody": request["rawBody"]})
                    with lock:
                        sys.stdout.write(line + "\\n"); sys.stdout.flush()
                for line in sys.stdin:
                    threading.Thread(target=handle, args=(json.loads(line),)).start()
                '""", "min=2\nmax=2\nconcurrency=16\n");
        engine(Duration.ofSeconds(30), 4, 1000, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
        List<CompletableFuture<ScriptResult>> answers = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            answers.add(engine.onApiTrigger("py", input("request-" + i)).toCompletableFuture());
        }
        for (int i = 0; i < answers.size(); i++) {
            assertEquals("request-" + i, body(answers.get(i).get(30, TimeUnit.SECONDS)), "answer " + i);
        }
        assertEquals(2, engine.workersStarted("py"), "no process was replaced");
    }

    @Test
    void whenAWorkerDiesMidRequestThenThatRequestFailsWith12AndTheNextGetsANewProcess() throws Exception {
        worker("c", """
                while IFS= read -r line; do
                  case "$line" in *crash*) exit 3 ;; esac
                  id=${line#*\\"id\\":\\"}; id=${id%%\\"*}
                  printf '{"id":"%s","responseCode":200,"responseBody":"%s"}\\n' "$id" "$$"
                done""", "max=1\n");
        String first = trigger("c", "fine");

        ScriptResult crashed = result(engine.onApiTrigger("c", input("crash")));

        assertInstanceOf(ScriptResult.Failed.class, crashed);
        assertEquals(ScriptOutcomeCode.FAILED, ((ScriptResult.Failed) crashed).code());
        String second = trigger("c", "fine");
        assertFalse(first.equals(second), "a new process after the crash");
        assertEquals(2, engine.workersStarted("c"), "the crashed request was not retried on another process");
    }

    @Test
    void whenARequestPassesItsDeadlineThenItAnswersTimedOutAndItsProcessIsKilledAndReplaced() throws Exception {
        engine(Duration.ofMillis(1500), 4, 10, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
        worker("t", """
                while IFS= read -r line; do
                  case "$line" in *slow*) sleep 300 ;; esac
                  id=${line#*\\"id\\":\\"}; id=${id%%\\"*}
                  printf '{"id":"%s","responseCode":200,"responseBody":"%s"}\\n' "$id" "$$"
                done""", "max=1\n");
        long first = Long.parseLong(trigger("t", "fine"));

        assertInstanceOf(ScriptResult.TimedOut.class, result(engine.onApiTrigger("t", input("slow"))));

        await("the timed-out process is killed", () -> !alive(first));
        assertFalse(Long.toString(first).equals(trigger("t", "fine")), "a new process serves the next request");
    }

    @Test
    void whenAnAnswerLineIsOverTheOutputLimitThenItAnswers17AndTheProcessIsReplaced() throws Exception {
        engine(Duration.ofSeconds(20), 4, 10, 1000);
        worker("big", """
                while IFS= read -r line; do
                  id=${line#*\\"id\\":\\"}; id=${id%%\\"*}
                  case "$line" in
                    *big*) printf '{"id":"%s","responseCode":200,"responseBody":"' "$id"; head -c 5000 /dev/zero | tr '\\0' x; printf '"}\\n' ;;
                    *) printf '{"id":"%s","responseCode":200,"responseBody":"%s"}\\n' "$id" "$$" ;;
                  esac
                done""", "max=1\n");
        long first = Long.parseLong(trigger("big", "small"));

        ScriptResult tooLarge = result(engine.onApiTrigger("big", input("big")));

        assertInstanceOf(ScriptResult.OutputTooLarge.class, tooLarge);
        await("the process that wrote the long line is gone", () -> !alive(first));
        assertFalse(Long.toString(first).equals(trigger("big", "small")));
    }

    @Test
    void afterMaxRequestsAProcessIsReplacedAndTheOldOneExits() throws Exception {
        worker("m", PID_WORKER, "max=1\nmax-requests=3\n");
        List<String> servedBy = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            servedBy.add(trigger("m", "n" + i));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(servedBy.get(i / 3 * 3), servedBy.get(i), "requests " + (i / 3 * 3) + ".." + i + " share a process");
        }
        assertEquals(4, new HashSet<>(servedBy).size(), "3 + 3 + 3 + 1: " + servedBy);
        for (String pid : new HashSet<>(servedBy.subList(0, 9))) {
            await("retired process " + pid + " exits", () -> !alive(Long.parseLong(pid)));
        }
    }

    @Test
    void closeWhenRequestsAreInFlightThenTheyFinishAndEveryWorkerProcessIsGone() throws Exception {
        worker("s", """
                while IFS= read -r line; do
                  sleep 1
                  id=${line#*\\"id\\":\\"}; id=${id%%\\"*}
                  printf '{"id":"%s","responseCode":200,"responseBody":"%s"}\\n' "$id" "$$"
                done""", "min=2\nmax=2\n");
        List<CompletionStage<ScriptResult>> inFlight = List.of(engine.onApiTrigger("s", input("a")),
                engine.onApiTrigger("s", input("b")));
        await("both requests reached a process", () -> engine.workerPids("s").size() == 2);
        List<Long> pids = engine.workerPids("s");

        engine.close();

        for (CompletionStage<ScriptResult> answer : inFlight) {
            assertTrue(pids.contains(Long.parseLong(body(result(answer)))), "finished by a pool process");
        }
        for (long pid : pids) {
            assertFalse(alive(pid), "worker " + pid + " stopped with the engine");
        }
        assertInstanceOf(ScriptResult.NotReady.class, result(engine.onApiTrigger("s", input("late"))));
    }

    @Test
    void withNoQueueTheFirstTriggerWaitsForItsProcessAndOneTooManyIsBusy() throws Exception {
        engine(Duration.ofSeconds(20), 4, 0, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
        worker("q", """
                while IFS= read -r line; do
                  case "$line" in *hold*) touch holding; while [ ! -e release ]; do sleep 0.01; done ;; esac
                  id=${line#*\\"id\\":\\"}; id=${id%%\\"*}
                  printf '{"id":"%s","responseCode":200,"responseBody":"%s"}\\n' "$id" "$$"
                done""", "min=0\nmax=1\n");

        CompletionStage<ScriptResult> first = engine.onApiTrigger("q", input("hold"));
        await("the first trigger reached the process", () -> Files.exists(dir.resolve("holding")));
        ScriptResult second = result(engine.onApiTrigger("q", input("x")));
        Files.createFile(dir.resolve("release"));

        assertInstanceOf(ScriptResult.Responded.class, result(first), "waited for its process, not refused");
        assertInstanceOf(ScriptResult.Busy.class, second, "the one slot taken and no queue: 503/1006");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello-worker", "hello-worker.py"})
    void theHelloWorkerExamplesOfTheScriptsDirectoryAnswerLikeHello(String example) throws Exception {
        copyExample(example);
        for (int i = 0; i < 3; i++) {
            assertEquals("{\"message\":\"hello from a udapi worker\"}", trigger(example, "x"));
        }
        assertEquals(1, engine.workersStarted(example));
    }

    @Test
    void theEchoWorkerExampleAnswersBothEntryPointsFromThreads() throws Exception {
        copyExample("echo-worker");
        // the first trigger finds out that the script is a worker and starts its pool, through the engine's run
        // queue as a spawned run would; the burst after it goes straight to the pool
        assertTrue(trigger("echo-worker", "first").contains("\"rawBody\": \"first\""));
        List<CompletableFuture<ScriptResult>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(engine.onApiTrigger("echo-worker", input("body-" + i)).toCompletableFuture());
        }
        for (int i = 0; i < answers.size(); i++) {
            assertTrue(body(answers.get(i).get(30, TimeUnit.SECONDS)).contains("\"rawBody\": \"body-" + i + "\""));
        }
        assertInstanceOf(ScriptResult.Completed.class, result(engine.run("echo-worker", Map.of("k", "v"))));
    }

    private void copyExample(String name) throws IOException {
        Path examples = Path.of("scripts");
        Files.copy(examples.resolve(name), dir.resolve(name));
        Files.copy(examples.resolve(name + WorkerSettings.SUFFIX), dir.resolve(name + WorkerSettings.SUFFIX));
    }

    @Test
    void aScriptWithoutAWorkerFileIsStillStartedForEveryRun() throws Exception {
        script("plain", "cat > /dev/null\nprintf '{\"responseCode\":200,\"responseBody\":\"%s\"}' \"$$\"");
        Set<String> pids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            pids.add(trigger("plain", "x"));
        }
        assertEquals(5, pids.size(), "a process per run");
        assertEquals(0, engine.workersStarted("plain"));
    }

    @Test
    void aWorkerSeesOnlyTheAllowListedEnvironmentAndItsEntryPoint() throws Exception {
        worker("env", """
                names=$(env | cut -d= -f1 | sort | tr '\\n' ' ')
                while IFS= read -r line; do
                  id=${line#*\\"id\\":\\"}; id=${id%%\\"*}
                  printf '{"id":"%s","responseCode":200,"responseBody":"%s %s"}\\n' "$id" "$UDAPI_ENTRY_POINT" "$names"
                done""", "");
        String seen = trigger("env", "x");
        List<String> words = List.of(seen.trim().split(" "));
        assertEquals("Worker", words.get(0));
        for (String name : words.subList(1, words.size())) {
            assertTrue(ProcessScriptEngine.INHERITED_ENV.contains(name) || name.equals("UDAPI_ENTRY_POINT")
                    || name.equals("UDAPI_SCRIPT_NAME") || name.equals("PWD") || name.equals("SHLVL") || name.equals("_"),
                    "not inherited from udapi: " + name);
        }
    }

    @Test
    void whatARequestDetachesIsGoneWhenItsAnswerArrivesWhileTheWorkerLivesOn() throws Exception {
        Path pids = root.resolve("detached");
        worker("d", """
                while IFS= read -r line; do
                  ( setsid sleep 305 > /dev/null 2>&1 & echo $! >> '%s' )
                  id=${line#*\\"id\\":\\"}; id=${id%%%%\\"*}
                  printf '{"id":"%%s","responseCode":200,"responseBody":"%%s"}\\n' "$id" "$$"
                done""".formatted(pids), "max=1\n");

        long workerPid = Long.parseLong(trigger("d", "x"));

        long detached = Long.parseLong(Files.readAllLines(pids).get(0).trim());
        assertFalse(io.udapi.os.ProcStat.read(detached).isPresent(), "the detached sleep is killed and reaped");
        assertTrue(alive(workerPid), "the worker itself keeps running");
        assertEquals(Long.toString(workerPid), trigger("d", "y"));
    }

    /**
     * A hostile worker reads one request, then answers the ids it expects next without reading them, each once
     * the pipe holds its line (FIONREAD), to free slots while its stdin fills. Were the ids guessable, the pool
     * would keep writing until a write under the pool's lock (on an event loop, or the thread that reads the
     * answers) blocked, freezing the pool for as long as the worker liked; with unguessable ids the first guess is
     * an id nobody waits for and the process is killed. Every trigger is submitted without blocking and answered
     * within 15 s (the frozen pool of guessable ids answered only when the worker gave up, after 20 s), and only
     * lines the worker read get its answer.
     */
    @Test
    void aWorkerThatAnswersRequestsItHasNotReadThenNoSubmitBlocksAndItIsKilled() throws Exception {
        worker("guesser", """
                exec python3 -c '
                import fcntl, json, struct, sys, termios, time
                first = sys.stdin.buffer.readline()
                request = json.loads(first)
                size = len(first)
                def answer(i):
                    sys.stdout.write(json.dumps({"id": i, "responseCode": 200, "responseBody": "guessed"}) + "\\n")
                    sys.stdout.flush()
                answer(request["id"])
                n = int(request["id"].split("-")[0])
                for k in range(1, 400):
                    deadline = time.time() + 20
                    while struct.unpack("i", fcntl.ioctl(0, termios.FIONREAD, b"\\0" * 4))[0] < k * size:
                        if time.time() > deadline:
                            sys.exit(0)
                        time.sleep(0.001)
                    answer(str(n + k))
                time.sleep(60)
                '""", "min=1\nmax=1\nconcurrency=15\n");
        engine(Duration.ofSeconds(20), 4, 1000, ScriptLimits.DEFAULT_MAX_OUTPUT_BYTES);
        String body = "x".repeat(3500);   // each line under the 4 KiB that is written inline
        ExecutorService submitter = Executors.newSingleThreadExecutor();
        try {
            Future<List<CompletableFuture<ScriptResult>>> submitted = submitter.submit(() -> {
                List<CompletableFuture<ScriptResult>> answers = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    answers.add(engine.onApiTrigger("guesser", input(body)).toCompletableFuture());
                }
                return answers;
            });
            List<CompletableFuture<ScriptResult>> answers = submitted.get(10, TimeUnit.SECONDS);   // never blocked

            // a pool frozen by a write blocked under its lock answers nothing until the worker gives up (after 20 s)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            int guessed = 0;
            for (CompletableFuture<ScriptResult> answer : answers) {
                ScriptResult result = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (result instanceof ScriptResult.Responded) {
                    assertEquals("guessed", body(result));
                    guessed++;
                }
            }
            assertTrue(guessed <= engine.workersStarted("guesser"),
                    guessed + " answers from " + engine.workersStarted("guesser") + " processes, each of which read one line");
        } finally {
            submitter.shutdownNow();
        }
    }

    /** A worker's stderr reaches the log one escaped line at a time: it cannot forge a line of udapi's log. */
    @Test
    void aWorkersStderrWithACarriageReturnAndAnEscapeSequenceIsLoggedEscaped() throws Exception {
        try (WorkerLog log = WorkerLog.start()) {
            List<String> logged = log.lines;
            worker("forger", """
                    while IFS= read -r line; do
                      printf 'x\\r\\033[2K2026-12-07 INFO forged line\\n' >&2
                      id=${line#*\\"id\\":\\"}; id=${id%%\\"*}
                      printf '{"id":"%s","responseCode":200,"responseBody":"ok"}\\n' "$id"
                    done""", "max=1\n");

            assertEquals("ok", trigger("forger", "x"));

            await("the stderr line is logged", () -> logged.stream().anyMatch(m -> m.contains("forged line")));
            String line = logged.stream().filter(m -> m.contains("forged line")).findFirst().orElseThrow();
            assertTrue(line.contains("x\\r\\u001b[2K2026-12-07 INFO forged line"), line);
            assertFalse(line.contains("\r") || line.contains("\u001b"), "no raw control character: " + line);
        }
    }

    /** A worker that floods stderr gets a bounded number of log lines, and the log counts every line it left out. */
    @Test
    void aWorkerFloodingStderrIsLoggedWithinItsBudgetAndEveryLineIsAccountedFor() throws Exception {
        int lines = 20_000;
        try (WorkerLog log = WorkerLog.start()) {
            List<String> logged = log.lines;
            long start = System.nanoTime();
            worker("flooder", """
                    while IFS= read -r line; do
                      case "$line" in
                        *quiet*) sleep 0.5; echo 'done' >&2 ;;
                        *) seq 1 %d | sed 's/^/flood /' >&2 ;;
                      esac
                      id=${line#*\\"id\\":\\"}; id=${id%%%%\\"*}
                      printf '{"id":"%%s","responseCode":200,"responseBody":"ok"}\\n' "$id"
                    done""".formatted(lines), "max=1\n");

            assertEquals("ok", trigger("flooder", "x"));
            // a line 0.5 s later finds the budget refilled and carries the count of the lines left out
            assertEquals("ok", trigger("flooder", "quiet"));
            await("every line is logged or counted", () -> logged.stream().filter(m -> m.contains("stderr: flood ")).count()
                    + logged.stream().mapToLong(WorkerScriptTest::leftOut).sum() == lines);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + 1;

            List<String> floodLines = logged.stream().filter(m -> m.contains("stderr: flood ")).toList();
            long left = logged.stream().mapToLong(WorkerScriptTest::leftOut).sum();
            assertEquals(lines, floodLines.size() + left, "every line logged or counted: " + floodLines.size() + " + " + left);
            assertTrue(left > 0, "most lines were left out of the log");
            assertTrue(logged.stream().anyMatch(m -> m.matches(".*stderr: done \\(\\d+ line\\(s\\) before it not logged\\)")),
                    "the count rides on the next line that passes");
            assertTrue(floodLines.size() <= LogLineBudget.BURST + LogLineBudget.PER_SECOND * seconds,
                    floodLines.size() + " lines in " + seconds + " s");
            assertTrue(floodLines.get(0).endsWith("stderr: flood 1"), floodLines.get(0));
        }
    }

    /** A worker that floods stderr and then exits: the count of the lines left out is logged when its stderr ends. */
    @Test
    void aWorkerThatFloodsStderrAndExitsHasTheLinesLeftOutCountedAtTheEndOfItsStream() throws Exception {
        int lines = 5_000;
        try (WorkerLog log = WorkerLog.start()) {
            List<String> logged = log.lines;
            worker("quitter", """
                    IFS= read -r line
                    seq 1 %d | sed 's/^/flood /' >&2
                    id=${line#*\\"id\\":\\"}; id=${id%%%%\\"*}
                    printf '{"id":"%%s","responseCode":200,"responseBody":"ok"}\\n' "$id"
                    exit 0""".formatted(lines), "max=1\n");

            assertEquals("ok", trigger("quitter", "x"));
            await("the end of the stream logs the count", () -> logged.stream()
                    .anyMatch(m -> m.matches(".*stderr: \\d+ more line\\(s\\) not logged")));

            List<String> floodLines = logged.stream().filter(m -> m.contains("stderr: flood ")).toList();
            long left = logged.stream().mapToLong(WorkerScriptTest::leftOut).sum();
            assertEquals(lines, floodLines.size() + left, "every line logged or counted: " + floodLines.size() + " + " + left);
            assertTrue(floodLines.size() < lines, "the budget left lines out: " + floodLines.size());
        }
    }

    private static final java.util.logging.Logger WORKER_LOG = java.util.logging.Logger.getLogger(WorkerProcess.class.getName());

    /** Every formatted message of WorkerProcess's logger, from {@link #start} until closed. */
    private static final class WorkerLog extends java.util.logging.Handler implements AutoCloseable {
        final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        static WorkerLog start() {
            WorkerLog log = new WorkerLog();
            WORKER_LOG.addHandler(log);
            return log;
        }

        @Override
        public void publish(java.util.logging.LogRecord record) {
            lines.add(record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                    : String.valueOf(record.getMessage()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            WORKER_LOG.removeHandler(this);
        }
    }

    /** The lines a log message says were left out, 0 when it says none. */
    private static long leftOut(String message) {
        var m = java.util.regex.Pattern.compile("(\\d+) (more )?line\\(s\\) (before it )?not logged").matcher(message);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void anAnswerWithAnIdNobodyWaitsForFailsTheRequestsOfThatProcess() throws Exception {
        worker("liar", """
                while IFS= read -r line; do
                  printf '{"id":"no-such-request","responseCode":200}\\n'
                done""", "max=1\n");
        ScriptResult result = result(engine.onApiTrigger("liar", input("x")));
        assertInstanceOf(ScriptResult.Failed.class, result);
    }

    @Test
    void anInvalidWorkerFileFailsTheTriggerWithoutStartingAnything() throws Exception {
        worker("bad", PID_WORKER, "max=0\n");
        assertInstanceOf(ScriptResult.Failed.class, result(engine.onApiTrigger("bad", input("x"))));
        assertEquals(0, engine.workersStarted("bad"));
    }

    @Test
    void answersThatBreakTheOutputRulesAreRefusedAsForARun() throws Exception {
        worker("code", """
                while IFS= read -r line; do
                  id=${line#*\\"id\\":\\"}; id=${id%%\\"*}
                  printf '{"id":"%s","responseCode":700}\\n' "$id"
                done""", "");
        assertInstanceOf(ScriptResult.BadStatusCode.class, result(engine.onApiTrigger("code", input("x"))),
                "a responseCode outside 200-599 is 1002, as for a run");
    }
}
