package io.udapi.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md, "Script isolation", through real HTTP against the packaged service run
 * as an unprivileged user (uid 65534): what a same-uid script can reach of udapi's secrets, its files and its
 * process (the script sandbox is on by default; its write paths here are {@code /dev} and the test's flags
 * directory, not the default {@code /tmp}, because a checkout under {@code /tmp} would put the data directory
 * beneath a granted path), and what is left of the processes scripts start once their run has answered.
 *
 * <p>Leftovers are recognised by their command line: {@code sleep 300X.<nonce>} (GNU sleep takes
 * fractions), with a nonce per test run so that a process left by an earlier, failed run never counts.
 * The checks are made as soon as the response arrives: the guarantee is for the end of the run, not
 * "eventually". Whatever a failing run leaves behind is killed after each test (by pid, as root).
 */
class ScriptIsolationIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final String TAMPERED = "tampered-by-a-script";
    private static final String NONCE = String.format("%06d", new SecureRandom().nextInt(1_000_000));
    private static final String PEPPER = "it-pepper-" + NONCE + "-0123456789abcdef";
    private static final String OK = "printf '{\"responseCode\":200,\"responseBody\":\"ok\"}'";

    private static Path work;
    private static Path scripts;
    private static Path data;
    /** The one TCP port scripts may connect to (udapi.scripts.sandbox.tcp-connect-ports). */
    private static java.net.ServerSocket allowedPort;
    private static ServiceProcess service;
    private static AdminClient admin;
    private static String secret;
    private static String tokenId;

    @BeforeAll
    static void startAsNobody() throws Exception {
        // under target/ (world-readable), not a 0700 JUnit temp dir: uid 65534 must reach the scripts
        work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "script-isolation-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        scripts = Files.createDirectory(work.resolve("scripts"));
        Files.setPosixFilePermissions(scripts, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path flags = Files.createDirectory(work.resolve("flags"));
        Files.setPosixFilePermissions(flags, PosixFilePermissions.fromString("rwxrwxrwx"));
        if (ServiceProcess.isRoot()) {
            // udapi's own user owns the scripts directory: file permissions would let a script change it
            Files.setAttribute(scripts, "unix:uid", ServiceProcess.NOBODY);
            Files.setAttribute(scripts, "unix:gid", ServiceProcess.NOBODY);
        }
        data = work.resolve("data");
        allowedPort = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());

        // Connects to each port it is given (argv: allowed, udapi's main port, udapi's management port).
        script("connect-probe", """
                out=$(for p in %s MAIN MANAGEMENT; do python3 -c '
                import socket, sys
                try:
                    socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5).close(); print(sys.argv[1], "ok")
                except OSError as e:
                    print(sys.argv[1], e.strerror)' "$p" 2>&1; done)
                printf '{"responseCode":200,"responseBody":"%%s"}' "$(printf '%%s' "$out" | tr '\\n' ';')"
                """.formatted(allowedPort.getLocalPort()));

        // What the same-uid script could reach without the sandbox: udapi's file store (its own uid owns
        // it), the scripts directory (the same) and udapi's process (same uid, so kill -0 would succeed).
        script("confinement-probe", """
                out=$(
                  echo "uid=$(id -u)"
                  echo "== ls"; ls -la '%1$s' 2>&1
                  echo "== files"; for f in '%1$s'/* '%1$s'/*/*; do head -c 4000 "$f" 2>&1; echo; done
                  echo "== plant"; echo '#!/bin/sh' 2>&1 > '%2$s/planted'; echo "plant=$?"
                  echo "== signal"; kill -0 "$PPID" 2>&1; echo "signal=$?"
                  echo "== own"; kill -0 "$$" 2>&1; echo "own=$?"
                  echo "== tmp"; t=$(mktemp -p '%3$s') && echo scratch > "$t" && cat "$t" && rm "$t"
                  ) 2>&1
                printf '{"responseCode":200,"responseBodyBytes":"%%s"}' "$(printf '%%s' "$out" | base64 | tr -d '\n')"
                """.formatted(data, scripts, flags));

        // Appends a marker to every copy of the console's api.js it can find where it may write, or see: the
        // service's temporary directory (granted below, as /tmp is by default) and the data directory.
        script("console-tamper", """
                out=$(for f in $(find '%1$s' '%2$s' -path '*admin/js/api.js' 2>/dev/null); do
                  echo "found $f"; echo '/*%3$s*/' >> "$f" && echo "changed $f"; done)
                printf '{"responseCode":200,"responseBody":"%%s"}' "$(printf '%%s' "$out" | tr '\\n' ';')"
                """.formatted(work.resolve("home/tmp"), data, TAMPERED));

        // Its own nice value and OOM score (once the score is written, polled without forking), its child's, and
        // udapi's (its parent): "nice/oom" each.
        script("priority-probe", """
                i=0; read v < /proc/$$/oom_score_adj
                while [ "$v" != 1000 ] && [ $i -lt 100 ]; do sleep 0.02; i=$((i+1)); read v < /proc/$$/oom_score_adj; done
                own="$(cut -d' ' -f19 /proc/self/stat)/$v"
                child=$(sh -c 'printf "%s/%s" "$(cut -d" " -f19 /proc/self/stat)" "$(cat /proc/self/oom_score_adj)"')
                udapi="$(cut -d' ' -f19 /proc/$PPID/stat)/$(cat /proc/$PPID/oom_score_adj)"
                printf '{"responseCode":200,"responseBody":"script=%s child=%s udapi=%s"}' "$own" "$child" "$udapi"
                """);

        // A run that stays for a while (and says so), and one that looks into it through /proc, as a hostile
        // script would to read another trigger's input or forge its answer.
        script("cross-victim", "echo $$ > '" + flags.resolve("victim-pid") + "'\ntouch '" + flags.resolve("victim-started")
                + "'\ni=0; while [ ! -e '" + flags.resolve("victim-release") + "' ] && [ $i -lt 50 ]; do sleep 0.05; i=$((i+1)); done\n" + OK);
        script("cross-spy", """
                p=$(cat '%s')
                out=$([ -d /proc/$p ] && echo "victim $p"
                  readlink "/proc/$p/fd/0" 2>&1 || echo "fd: refused"
                  cat "/proc/$p/environ" 2>&1 | tr '\\0' '\\n' | grep -E 'UDAPI_SCRIPT_NAME|denied')
                printf '{"responseCode":200,"responseBody":"%%s"}' "$(printf '%%s' "$out" | tr '\\n' ';')"
                """.formatted(flags.resolve("victim-pid")));

        // Reads the environment of every ancestor it can (udapi's first: scripts are its children), each
        // thread's too, and lists udapi's open files; answers with all it saw.
        script("probe", """
                out=$(
                  echo "ppid=$PPID"
                  pid=$PPID
                  while [ -n "$pid" ] && [ "$pid" -gt 1 ]; do
                    echo "== $pid"
                    cat /proc/$pid/environ 2>&1 | tr '\\0' '\\n'
                    for t in /proc/$pid/task/*; do cat "$t/environ" 2>&1 | tr '\\0' '\\n'; done
                    head -c 300 /proc/$pid/maps 2>&1
                    ls /proc/$pid/fd 2>&1 | head -n 3
                    pid=$(sed 's/.*) //' /proc/$pid/stat | cut -d' ' -f2)
                  done 2>&1)
                printf '{"responseCode":200,"responseBodyBytes":"%s"}' "$(printf '%s' "$out" | base64 | tr -d '\\n')"
                """);
        script("double-fork", "( sleep " + marker(3001) + " > /dev/null 2>&1 & )\n" + OK);
        script("setsid-daemon", "setsid sleep " + marker(3002) + " > /dev/null 2>&1 &\n" + OK);
        // the daemon keeps the script's stdout open: the run must still end when the script exits
        script("stdout-holder", OK + "\n( sleep " + marker(3003) + " & )");
        script("timeout", "( sleep " + marker(3004) + " > /dev/null 2>&1 & )\nsetsid sleep " + marker(3005)
                + " > /dev/null 2>&1 &\nsleep 30");
        script("non-zero", "( sleep " + marker(3006) + " > /dev/null 2>&1 & )\nexit 3");
        script("shutdown", "( setsid sleep " + marker(3007) + " > /dev/null 2>&1 & )\nsleep " + marker(3008)
                + " > /dev/null 2>&1 &\ntouch '" + flags.resolve("started") + "'\nsleep 30");

        // A worker script (docs/workers.md): the same probe of udapi's /proc entries, from a process that
        // stays, and a setsid daemon per request, which must be gone when the request's answer arrives.
        worker("worker-probe", """
                while IFS= read -r line; do
                  id=${line#*\\"id\\":\\"}; id=${id%%%%\\"*}
                  ( setsid sleep %s > /dev/null 2>&1 & )
                  out=$(echo "ppid=$PPID"; cat /proc/$PPID/environ 2>&1 | tr '\\0' '\\n'; echo "worker=$$")
                  printf '{"id":"%%s","responseCode":200,"responseBodyBytes":"%%s"}\\n' "$id" "$(printf '%%s' "$out" | base64 | tr -d '\\n')"
                done
                """.formatted(marker(3009)));

        service = new ServiceProcess(data, work.resolve("udapi.log"),
                ServiceProcess.config("udapi.scripts.dir", scripts.toString(), "udapi.script.timeout", TIMEOUT.toSeconds() + "s",
                        // the service's java.io.tmpdir stands for /tmp, which the default write paths grant
                        "udapi.scripts.sandbox.write-paths", "/dev," + flags + "," + work.resolve("home/tmp"),
                        "udapi.scripts.sandbox.tcp-connect-ports", Integer.toString(allowedPort.getLocalPort())))
                .withEnvironment("UDAPI_SECRETS_PEPPER", PEPPER)
                .asUnprivilegedUser(work.resolve("home"))
                .start();
        // the ports are known once the service is started: the probe reads them from its script text
        Path probe = scripts.resolve("connect-probe");
        Files.writeString(probe, Files.readString(probe).replace("MAIN", Integer.toString(java.net.URI.create(service.baseUrl()).getPort()))
                .replace("MANAGEMENT", Integer.toString(service.managementPort())));
        int uid = uidOf(service.pid());
        assertTrue(uid != 0 && (!ServiceProcess.isRoot() || uid == ServiceProcess.NOBODY), "udapi runs unprivileged: uid " + uid);
        admin = new AdminClient(service.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
        HttpResponse<String> token = admin.send("POST", "/admin/v1/tokens", "{\"name\":\"isolation\"}");
        assertEquals(201, token.statusCode(), token.body());
        secret = AdminClient.field(token.body(), "secret");
        tokenId = AdminClient.field(token.body(), "id");
        for (String name : List.of("probe", "double-fork", "setsid-daemon", "stdout-holder", "timeout", "non-zero", "shutdown", "worker-probe",
                "confinement-probe", "connect-probe", "console-tamper", "cross-victim", "cross-spy", "priority-probe")) {
            define(admin, name);
        }
    }

    @AfterEach
    void killWhatAFailedRunLeft() throws IOException {
        for (long pid : processesWith(NONCE)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (allowedPort != null) {
            allowedPort.close();
        }
        for (long pid : processesWith(NONCE)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- isolation ----

    @Test
    void scriptReadingUdapisProcEntriesFindsNeitherTheAdminPasswordNorThePepper() throws Exception {
        HttpResponse<String> r = admin.trigger("probe", secret);
        assertEquals(200, r.statusCode(), r.body());
        assertNoSecretButARefusedLookIn(r.body());
    }

    /** No secret in what a probe saw, and not vacuously: it did look at udapi's own entries and was refused. */
    private static void assertNoSecretButARefusedLookIn(String seen) {
        assertFalse(seen.contains(ServiceProcess.ADMIN_PASSWORD), "the admin password reached a script:\n" + seen);
        assertFalse(seen.contains(PEPPER), "the pepper reached a script:\n" + seen);
        assertTrue(seen.contains("ppid=" + service.pid()), "the script's parent is udapi:\n" + seen);
        assertTrue(seen.contains("/proc/" + service.pid() + "/environ: Permission denied"), seen);
    }

    @Test
    void workerScriptReadingUdapisProcEntriesFindsNoSecretAndWhatARequestDetachesIsGoneAtItsAnswer() throws Exception {
        HttpResponse<String> first = admin.trigger("worker-probe", secret);
        assertEquals(200, first.statusCode(), first.body());
        assertNothingLeft(3009);
        HttpResponse<String> second = admin.trigger("worker-probe", secret);
        assertEquals(200, second.statusCode(), second.body());
        String seen = first.body();

        assertNoSecretButARefusedLookIn(seen);
        String worker = seen.substring(seen.indexOf("worker=") + 7).trim();
        assertTrue(second.body().contains("worker=" + worker), "one worker process served both requests");
        assertNothingLeft(3009);
    }

    // ---- the script sandbox (on by default) ----

    @Test
    void scriptCannotListOrReadTheFileStoreThatItsUidOwns() throws Exception {
        String seen = confinementProbe();
        assertTrue(seen.contains("uid=" + uidOf(service.pid())), "the script runs under udapi's uid:\n" + seen);
        assertTrue(Files.readString(onlyStoreFileWith(tokenId)).contains(tokenId), "the file store holds the token");
        assertTrue(seen.contains("ls: cannot open directory '" + data + "': Permission denied"), seen);
        assertFalse(seen.contains(tokenId), "a script read the file store:\n" + seen);
    }

    @Test
    void scriptCannotPlantAFileInTheScriptsDirectoryThatItsUidOwns() throws Exception {
        String seen = confinementProbe();
        if (ServiceProcess.isRoot()) {
            assertEquals(ServiceProcess.NOBODY, (int) Files.getAttribute(scripts, "unix:uid"), "udapi's uid owns the directory");
        }
        assertTrue(seen.contains("planted: Permission denied") && !seen.contains("plant=0"), seen);
        assertFalse(Files.exists(scripts.resolve("planted")), "a script wrote into the scripts directory");
    }

    @Test
    void scriptCannotSignalUdapiButSignalsItselfAndWritesBeneathAGrantedPath() throws Exception {
        String seen = confinementProbe();
        assertTrue(seen.contains("kill: Operation not permitted") && !seen.contains("signal=0"), "kill -0 of udapi:\n" + seen);
        assertTrue(seen.contains("own=0"), "a script still signals its own processes:\n" + seen);
        assertTrue(seen.contains("== tmp\nscratch"), "a script still writes beneath a granted path:\n" + seen);
    }

    @Test
    void withTcpConnectPortsAScriptReachesTheListedPortButNeitherOfUdapisPorts() throws Exception {
        HttpResponse<String> r = admin.trigger("connect-probe", secret);
        assertEquals(200, r.statusCode(), r.body());
        int main = java.net.URI.create(service.baseUrl()).getPort();
        assertTrue(r.body().contains(allowedPort.getLocalPort() + " ok"), r.body());
        assertTrue(r.body().contains(main + " Permission denied"), "the main port: " + r.body());
        assertTrue(r.body().contains(service.managementPort() + " Permission denied"), "the management port: " + r.body());
    }

    /**
     * The console's files, as served, are the jar's: Vert.x's copy of them is where no script may write (a changed
     * api.js would run in every admin's browser with the console's origin and read their credentials).
     */
    @Test
    void scriptCannotChangeTheConsoleFilesThatAdminsAreServed() throws Exception {
        String original = Files.readString(Path.of("src/main/resources/META-INF/resources/admin/js/api.js"));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(java.net.URI.create(service.baseUrl() + "/admin/js/api.js")).build();
        assertEquals(original, http.send(get, HttpResponse.BodyHandlers.ofString()).body(), "served once: a copy exists");

        HttpResponse<String> r = admin.trigger("console-tamper", secret);
        assertEquals(200, r.statusCode(), r.body());
        assertFalse(r.body().contains("changed"), "a script changed a copy of the console: " + r.body());
        String served = http.send(get, HttpResponse.BodyHandlers.ofString()).body();
        assertFalse(served.contains(TAMPERED), "the console served a script's change");
        assertEquals(original, served);
    }

    /**
     * Each script process has a Landlock domain of its own: a script cannot open another running script's
     * {@code /proc} entries (its stdin, which holds another trigger's input, or its environment), though both run
     * under udapi's uid. Several spies, so that none could share the victim's launcher by chance.
     */
    @Test
    void scriptCannotReachTheProcEntriesOfAnotherScriptRunningAtTheSameTime() throws Exception {
        Path started = work.resolve("flags/victim-started");
        Path release = work.resolve("flags/victim-release");
        Files.deleteIfExists(started);
        Files.deleteIfExists(release);
        CompletableFuture<HttpResponse<String>> victim = CompletableFuture.supplyAsync(() -> {
            try {
                return admin.trigger("cross-victim", secret);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(started));
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> spy = admin.trigger("cross-spy", secret);
            assertEquals(200, spy.statusCode(), spy.body());
            assertTrue(spy.body().contains("victim "), "the spy finds the victim's process: " + spy.body());
            assertFalse(spy.body().contains("UDAPI_SCRIPT_NAME=cross-victim"), "spy " + i + " read the victim's environment: " + spy.body());
            assertFalse(spy.body().contains("pipe:"), "spy " + i + " reached the victim's stdin: " + spy.body());
            assertTrue(spy.body().contains("fd: refused") && spy.body().contains("Permission denied"), spy.body());
        }
        Files.createFile(release); // the victim stays until here (at most 2.5 s, under the 3 s script timeout)
        assertEquals(200, victim.get(30, TimeUnit.SECONDS).statusCode());
    }

    /**
     * A script and what it starts run 10 steps below udapi's scheduling priority and are the kernel's first
     * choice when memory runs out (udapi.scripts.priority defaults), while udapi keeps its own values.
     */
    @Test
    void scriptAndItsChildRunBelowUdapisPriorityAndAreTheOomKillersFirstChoiceWhileUdapiKeepsItsOwn() throws Exception {
        HttpResponse<String> r = admin.trigger("priority-probe", secret);
        assertEquals(200, r.statusCode(), r.body());
        Matcher m = Pattern.compile("script=(\\d+)/(\\d+) child=(\\d+)/(\\d+) udapi=(-?\\d+)/(-?\\d+)").matcher(r.body());
        assertTrue(m.find(), r.body());
        int udapiNice = Integer.parseInt(m.group(5));
        String expected = Math.min(19, udapiNice + 10) + "/1000";
        assertEquals(expected, m.group(1) + "/" + m.group(2), "the script: " + r.body());
        assertEquals(expected, m.group(3) + "/" + m.group(4), "its child: " + r.body());
        assertEquals(Files.readString(Path.of("/proc/self/oom_score_adj")).strip(), m.group(6),
                "udapi keeps the score it inherited from the test: " + r.body());
    }

    /** What {@code confinement-probe} saw, decoded. */
    private static String confinementProbe() throws Exception {
        HttpResponse<String> r = admin.trigger("confinement-probe", secret);
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** The file-store file that holds {@code text}, read as the test's user. */
    private static Path onlyStoreFileWith(String text) throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            List<Path> holding = files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(text);
                } catch (IOException e) {
                    return false;
                }
            }).toList();
            assertFalse(holding.isEmpty(), "no file of the store holds " + text);
            return holding.get(0);
        }
    }

    // ---- nothing outlives a run ----

    @Test
    void doubleForkedDaemonIsGoneWhenTheRunAnswers() throws Exception {
        assertEquals(200, admin.trigger("double-fork", secret).statusCode());
        assertNothingLeft(3001);
    }

    @Test
    void setsidDaemonIsGoneWhenTheRunAnswers() throws Exception {
        assertEquals(200, admin.trigger("setsid-daemon", secret).statusCode());
        assertNothingLeft(3002);
    }

    @Test
    void daemonHoldingStdoutIsGoneAndTheRunAnswersWhenTheScriptExits() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = admin.trigger("stdout-holder", secret);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.statusCode(), "answered by the script, not the timeout: " + r.body());
        assertTrue(millis < TIMEOUT.toMillis(), "answered in " + millis + " ms");
        assertNothingLeft(3003);
    }

    @Test
    void timedOutRunsChildrenAndDaemonsAreGoneWhenItAnswers() throws Exception {
        HttpResponse<String> r = admin.trigger("timeout", secret);
        assertEquals(500, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"errorCode\":1001"), r.body());
        assertNothingLeft(3004, 3005);
    }

    @Test
    void failedRunsDaemonIsGoneAndTheFailureStands() throws Exception {
        HttpResponse<String> r = admin.trigger("non-zero", secret);
        assertEquals(500, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"errorCode\":12"), "a failed script, not a success: " + r.body());
        assertNothingLeft(3006);
    }

    @Test
    void concurrentRunsLeaveNothingOnceAllAnswered() throws Exception {
        List<String> routes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            routes.addAll(List.of("double-fork", "setsid-daemon", "stdout-holder", "non-zero"));
        }
        routes.add("timeout");
        List<CompletableFuture<HttpResponse<String>>> runs = new ArrayList<>();
        for (String route : routes) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return admin.trigger(route, secret);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (int i = 0; i < runs.size(); i++) {
            int expected = switch (routes.get(i)) {
                case "non-zero", "timeout" -> 500;
                default -> 200;
            };
            HttpResponse<String> r = runs.get(i).get(60, TimeUnit.SECONDS);
            assertEquals(expected, r.statusCode(), routes.get(i) + ": " + r.body());
        }
        assertNothingLeft(3001, 3002, 3003, 3004, 3005, 3006);
    }

    @Test
    void shutdownDuringARunLeavesNothingBehind() throws Exception {
        // its own instance: this one is stopped
        Path flags = work.resolve("flags");
        try (ServiceProcess stopped = new ServiceProcess(work.resolve("data-shutdown"), work.resolve("udapi-shutdown.log"),
                ServiceProcess.config("udapi.scripts.dir", scripts.toString(), "udapi.script.timeout", "6s",
                        "quarkus.shutdown.timeout", "2s",
                        // the script marks that it started in the flags directory: granted like any path a script needs
                        "udapi.scripts.sandbox.write-paths", "/dev," + flags))
                .withEnvironment("UDAPI_SECRETS_PEPPER", PEPPER)
                .asUnprivilegedUser(work.resolve("home-shutdown"))
                .start()) {
            AdminClient other = new AdminClient(stopped.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            HttpResponse<String> token = other.send("POST", "/admin/v1/tokens", "{\"name\":\"shutdown\"}");
            String otherSecret = AdminClient.field(token.body(), "secret");
            assertEquals(201, other.send("POST", "/admin/v1/definitions", "{\"route\":\"shutdown\",\"allowedTokens\":[\""
                    + AdminClient.field(token.body(), "id") + "\"],\"actionMeta\":{\"scriptName\":\"shutdown\"}}").statusCode());
            CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return other.trigger("shutdown", otherSecret).statusCode();
                } catch (Exception refusedOrCut) {
                    return -1;
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(flags.resolve("started")));
            assertFalse(processesWith(marker(3008)).isEmpty(), "the script's child runs");

            stopped.sigterm();
            stopped.awaitExit(Duration.ofSeconds(60));
            inFlight.get(60, TimeUnit.SECONDS);

            assertEquals(List.of(), processesWith(marker(3007)), "the double-forked setsid daemon outlived udapi");
            assertEquals(List.of(), processesWith(marker(3008)), "the script's child outlived udapi");
        }
    }

    // ---- helpers ----

    private static String marker(int seconds) {
        return seconds + "." + NONCE;
    }

    private static void script(String name, String body) throws IOException {
        Path p = scripts.resolve(name);
        Files.writeString(p, "#!/bin/sh\ncat > /dev/null\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A worker script: no {@code cat} of stdin first (its requests arrive there), and its .worker file. */
    private static void worker(String name, String body) throws IOException {
        Path p = scripts.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(scripts.resolve(name + ".worker"), "max=1\n");
    }

    private static void define(AdminClient client, String name) throws Exception {
        HttpResponse<String> r = client.send("POST", "/admin/v1/definitions", "{\"route\":\"" + name + "\",\"allowedTokens\":[\""
                + tokenId + "\"],\"actionMeta\":{\"scriptName\":\"" + name + "\"}}");
        assertEquals(201, r.statusCode(), r.body());
    }

    /** No process carries any of these markers, and udapi has no zombie child. */
    private static void assertNothingLeft(int... markers) throws IOException {
        for (int m : markers) {
            List<Long> left = processesWith(marker(m));
            assertEquals(List.of(), left, "processes 'sleep " + marker(m) + "' outlived their run: " + describe(left));
        }
        assertEquals(List.of(), zombieChildrenOf(service.pid()), "zombie children of udapi");
    }

    /** Pids whose command line contains {@code text}, from every {@code /proc/<pid>/cmdline}. */
    private static List<Long> processesWith(String text) throws IOException {
        List<Long> pids = new ArrayList<>();
        for (Path proc : processDirs()) {
            try {
                String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.ISO_8859_1)
                        .replace('\0', ' ');
                if (cmdline.contains(text)) {
                    pids.add(Long.parseLong(proc.getFileName().toString()));
                }
            } catch (IOException exited) {
                // gone while listed
            }
        }
        return pids;
    }

    /** {@code /proc/<pid>/stat} lines in state Z whose parent is {@code parent}. */
    private static List<String> zombieChildrenOf(long parent) throws IOException {
        List<String> zombies = new ArrayList<>();
        for (Path proc : processDirs()) {
            try {
                String stat = Files.readString(proc.resolve("stat"), StandardCharsets.ISO_8859_1);
                // fields after the command name, which may hold spaces and ')': state, ppid, ...
                String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (rest[0].equals("Z") && Long.parseLong(rest[1]) == parent) {
                    zombies.add(stat.trim());
                }
            } catch (IOException exited) {
                // gone while listed
            }
        }
        return zombies;
    }

    private static List<Path> processDirs() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList();
        }
    }

    private static String describe(List<Long> pids) {
        StringBuilder s = new StringBuilder();
        for (long pid : pids) {
            try {
                s.append("\n  ").append(Files.readString(Path.of("/proc", Long.toString(pid), "stat")).trim());
            } catch (IOException gone) {
                s.append("\n  ").append(pid).append(" (gone meanwhile)");
            }
        }
        return s.toString();
    }

    private static int uidOf(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.split("\\s+")[1]);
            }
        }
        throw new AssertionError("no Uid line for " + pid);
    }
}
