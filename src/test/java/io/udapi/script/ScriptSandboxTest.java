package io.udapi.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.WithDefault;
import io.udapi.config.UdapiConfig;
import io.udapi.config.UdapiConfig.SandboxMode;
import io.udapi.os.Landlock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * docs/security.md, "Script isolation": processes started through a {@link ScriptSandbox} are confined by
 * Landlock, whatever they run and however they detach, while the JVM keeps its access. Real {@code sh}
 * processes on this machine's kernel, which has Landlock (ABI 6 or later: signals are scoped too); on a
 * kernel without it these tests fail, they do not skip.
 */
class ScriptSandboxTest {

    /** Under target/; the tests grant /dev and {@link #writable} only (not /tmp, where a checkout may live). */
    Path root;
    Path writable;
    Path scripts;
    Path data;
    Path secretFile;
    ScriptSandbox sandbox;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createTempDirectory(Files.createDirectories(Path.of("target/tmp")).toAbsolutePath(), "udapi-sandbox-");
        scripts = Files.createDirectory(root.resolve("scripts"));
        data = Files.createDirectory(root.resolve("data"));
        secretFile = Files.writeString(data.resolve("pepper"), "the-pepper-value");
        writable = Files.createDirectory(root.resolve("writable"));
        for (Path granted : ScriptSandbox.DEFAULT_READ) {
            assertFalse(root.toRealPath().startsWith(granted), "run the tests from a checkout outside " + granted);
        }
        int abi = Landlock.abi();
        assertTrue(abi >= 6, "these tests need a kernel with Landlock ABI 6 or later (Linux 6.12); this one answers " + abi);
    }

    @AfterEach
    void close() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static final Path DEV = Path.of("/dev");

    private ScriptSandbox confined(SandboxMode mode, List<Path> read, List<Path> write) {
        return ScriptSandbox.of(mode, scripts, read, write, java.util.Optional.empty(), ScriptPriority.DEFAULT, false);
    }

    record Run(int exit, String output) {
    }

    private Run sh(ScriptSandbox through, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(scripts.toFile()).redirectErrorStream(true);
        Process p = through.start(pb::start);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    /**
     * Where Landlock is missing (here: hidden by a seccomp filter, as an old container seccomp profile does),
     * {@code required} refuses to build the sandbox with the reason, and {@code auto} runs scripts unconfined.
     */
    @Test
    void requiredModeRefusesAndAutoRunsUnconfinedWhereTheKernelAnswersThatLandlockIsMissing() throws Exception {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        Thread withoutLandlock = new Thread(() -> {
            try {
                WithoutLandlock.onThisThread();
                assertEquals(-38, Landlock.abi(), "the filter answers ENOSYS to landlock_create_ruleset");

                IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                        () -> confined(SandboxMode.required, ScriptSandbox.DEFAULT_READ, List.of(DEV)));
                assertEquals("udapi.scripts.sandbox.mode=required, but script processes cannot be confined: "
                        + "Landlock is not enabled in this kernel (errno 38)", refused.getMessage());

                try (ScriptSandbox auto = confined(SandboxMode.auto, ScriptSandbox.DEFAULT_READ, List.of(DEV))) {
                    assertFalse(auto.confines());
                    assertInstanceOf(Landlock.Outcome.Unavailable.class, auto.outcome());
                    assertEquals(List.of(data), auto.exposed(List.of(data)), "unconfined: the data directory is exposed");
                    Run read = sh(auto, "cat '" + secretFile + "'");
                    assertEquals(new Run(0, "the-pepper-value"), read, "an unconfined script reads what udapi reads");
                }
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "without-landlock");
        withoutLandlock.start();
        try {
            done.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error; // an assertion of the thread's
            }
            throw e;
        }
        // the rest of the JVM still has Landlock: the same settings confine
        sandbox = confined(SandboxMode.required, ScriptSandbox.DEFAULT_READ, List.of(DEV));
        assertTrue(sandbox.confines());
        assertFalse(sh(sandbox, "cat '" + secretFile + "'").output().contains("the-pepper-value"));
    }

    /**
     * Every process gets a Landlock domain of its own: a script cannot open the /proc entries of another one
     * running at the same time (its stdin: another trigger's input; its environment), while it still reaches
     * what it started itself. Both run as one unprivileged uid, as udapi's scripts do: root's capabilities
     * would pass the kernel's check whatever the domains.
     */
    @Test
    void aScriptCannotReachTheProcEntriesOfAnotherRunningScriptButReachesItsOwnChild() throws Exception {
        sandbox = confined(SandboxMode.required, ScriptSandbox.DEFAULT_READ, List.of(DEV));
        Process victim = sandbox.start(new ProcessBuilder("/bin/sh", "-c", AS_NOBODY + "sleep 30")
                .directory(scripts.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)::start);
        try {
            // the sleep: the shell's child, or the shell itself where it execs its last command
            long pid = await("the victim runs as the unprivileged uid", () -> java.util.stream.Stream.concat(
                            java.util.stream.Stream.of(victim.toHandle()), victim.toHandle().descendants())
                    .filter(p -> p.info().command().orElse("").endsWith("/sleep")).map(ProcessHandle::pid).findFirst().orElse(-1L));
            for (int i = 0; i < 6; i++) { // several launches, so that none could share the victim's launcher by chance
                Run spy = sh(sandbox, AS_NOBODY + "sh -c 'readlink /proc/" + pid + "/fd/0 || echo fd: refused; "
                        + "cat /proc/" + pid + "/environ | head -c 20; echo; echo end' 2>&1");
                assertTrue(spy.output().contains("fd: refused") && spy.output().contains("Permission denied")
                        && !spy.output().contains("pipe:"), "launch " + i + ": " + spy.output());
            }
            Run own = sh(sandbox, AS_NOBODY + "sh -c 'sleep 5 & readlink /proc/$!/fd/1; kill $!' 2>&1");
            assertEquals(0, own.exit(), own.output());
            assertTrue(own.output().startsWith("pipe:"), "a script reaches its own child: " + own.output());
        } finally {
            victim.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            victim.destroyForcibly();
        }
    }

    /** Run as root (as CI does), the commands drop to nobody first; otherwise they run as the test's own uid. */
    private static final String AS_NOBODY = "root".equals(System.getProperty("user.name"))
            ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";

    private static long await(String what, java.util.function.Supplier<Long> value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            long v = value.get();
            if (v > 0) {
                return v;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("timed out waiting until " + what);
    }

    @Test
    void confinedProcessCannotReadTheDataDirectoryThatTheUnconfinedOneReads() throws Exception {
        try (ScriptSandbox off = ScriptSandbox.of(SandboxMode.off, scripts, ScriptSandbox.DEFAULT_READ, ScriptSandbox.DEFAULT_WRITE)) {
            Run open = sh(off, "cat '" + secretFile + "'");
            assertEquals(new Run(0, "the-pepper-value"), open, "without the sandbox the file is readable (the test can fail)");
        }
        sandbox = confined(SandboxMode.auto, ScriptSandbox.DEFAULT_READ, List.of(DEV, writable));
        assertInstanceOf(Landlock.Outcome.Restricted.class, sandbox.outcome());

        Run read = sh(sandbox, "cat '" + secretFile + "'; ls '" + data + "'");
        assertFalse(read.output().contains("the-pepper-value"), read.output());
        assertTrue(read.output().contains(secretFile + ": Permission denied"), read.output());
        assertTrue(read.output().contains(data + "': Permission denied"), read.output());
        // the JVM itself keeps its access
        assertEquals("the-pepper-value", Files.readString(secretFile));
    }

    @Test
    void grandchildInANewSessionIsConfinedToo() throws Exception {
        sandbox = confined(SandboxMode.auto, ScriptSandbox.DEFAULT_READ, List.of(DEV, writable));
        // setsid -w: a new session, and the outer shell waits for it, so its output is in the answer
        Run run = sh(sandbox, "setsid -w sh -c \"sh -c 'cat " + secretFile + "'\" 2>&1");
        assertTrue(run.output().contains("Permission denied"), run.output());
        assertFalse(run.output().contains("the-pepper-value"), run.output());
    }

    @Test
    void confinedProcessRunsSystemProgramsReadsEtcAndItsScriptsAndWritesAWritePathButNotTheScriptsDirectory() throws Exception {
        Files.writeString(scripts.resolve("hello.txt"), "hello from scripts");
        sandbox = confined(SandboxMode.auto, ScriptSandbox.DEFAULT_READ, List.of(DEV, writable));
        Path tmp = writable.resolve("written.txt");
        Run run = sh(sandbox, "cat hello.txt && echo && head -c 5 /etc/passwd && echo && echo written > '" + tmp
                + "' && cat '" + tmp + "' && rm '" + tmp + "' && echo x > /dev/null && echo planted > planted.sh; echo \"exit=$?\"");
        assertTrue(run.output().startsWith("hello from scripts\nroot:\nwritten\n"), run.output());
        assertTrue(run.output().contains("planted.sh: Permission denied"), run.output());
        assertTrue(run.output().contains("exit=") && !run.output().contains("exit=0"), run.output());
        assertFalse(Files.exists(scripts.resolve("planted.sh")));
        assertFalse(Files.exists(tmp));
    }

    @Test
    void tcpConnectPortsLetAScriptReachThoseAndRefuseEveryOtherPortSuchAsUdapisOwn() throws Exception {
        try (java.net.ServerSocket allowed = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
             java.net.ServerSocket udapis = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            String probe = "for p in " + allowed.getLocalPort() + " " + udapis.getLocalPort() + "; do python3 -c '"
                    + "import socket, sys\n"
                    + "try:\n"
                    + "    socket.create_connection((\"127.0.0.1\", int(sys.argv[1])), 5).close(); print(\"port\", sys.argv[1], \"ok\")\n"
                    + "except OSError as e:\n"
                    + "    print(\"port\", sys.argv[1], e.strerror)' $p; done";
            try (ScriptSandbox open = ScriptSandbox.of(SandboxMode.auto, scripts, ScriptSandbox.DEFAULT_READ, List.of(DEV, writable),
                    java.util.Optional.empty(), ScriptPriority.DEFAULT, false)) {
                Run unrestricted = sh(open, probe);
                assertTrue(unrestricted.output().contains("port " + udapis.getLocalPort() + " ok"),
                        "without tcp-connect-ports every port is reachable (the test can fail): " + unrestricted.output());
            }
            sandbox = ScriptSandbox.of(SandboxMode.required, scripts, ScriptSandbox.DEFAULT_READ, List.of(DEV, writable),
                    java.util.Optional.of(java.util.Set.of(allowed.getLocalPort())), ScriptPriority.DEFAULT, false);
            assertTrue(((Landlock.Outcome.Restricted) sandbox.outcome()).tcpRestricted(), sandbox.outcome().toString());

            Run run = sh(sandbox, probe);
            assertTrue(run.output().contains("port " + allowed.getLocalPort() + " ok"), run.output());
            assertTrue(run.output().contains("port " + udapis.getLocalPort() + " Permission denied"), run.output());
        }
    }

    @Test
    void aTcpConnectPortOutsideTheRangeIsRefusedBeforeAnyThreadIsRestricted() {
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ScriptSandbox.of(SandboxMode.auto, scripts, ScriptSandbox.DEFAULT_READ, List.of(DEV),
                        java.util.Optional.of(java.util.Set.of(443, 70_000)), ScriptPriority.DEFAULT, false));
        assertEquals("not a TCP port: 70000 (0 to 65535)", refused.getMessage());
    }

    /**
     * Root holds CAP_SYS_PTRACE, CAP_SYS_ADMIN and CAP_PERFMON, each of which passes both the non-dumpable flag and
     * Landlock's ptrace scope: without the launcher's drop, a root script read udapi's environment (the admin
     * password) through /proc, in both modes. With it the script holds no capability but CAP_SETUID and CAP_SETGID.
     */
    @ParameterizedTest
    @EnumSource(value = SandboxMode.class, names = {"auto", "off"})
    void aScriptHoldsNoCapabilityAndCannotReadUdapisEnvironmentWhateverUdapisUid(SandboxMode mode) throws Exception {
        io.udapi.os.ProcessHardening.apply(false); // as the engine does: udapi is not dumpable
        sandbox = confined(mode, ScriptSandbox.DEFAULT_READ, List.of(DEV));
        long jvm = ProcessHandle.current().pid();
        Run run = sh(sandbox, "grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' /proc/self/status; "
                + "if head -c 1 /proc/" + jvm + "/environ >/dev/null 2>&1; then echo environ: read; else echo environ: refused; fi");
        assertTrue(run.output().contains("environ: refused"), mode + ": " + run.output());
        for (String line : run.output().split("\n")) {
            if (line.startsWith("Cap")) {
                long set = Long.parseUnsignedLong(line.substring(line.indexOf(':') + 1).trim(), 16);
                if (line.startsWith("CapBnd") && !"root".equals(System.getProperty("user.name"))) {
                    continue; // a non-root udapi cannot shrink it, and its scripts hold nothing of it
                }
                long setuidAndSetgid = (1L << 7) | (1L << 6); // kept, so that a script can drop to another user
                assertEquals(0, set & ~setuidAndSetgid, "the script's " + line);
            }
        }
        assertEquals(5, run.output().lines().filter(l -> l.startsWith("Cap")).count(), run.output());
    }

    @Test
    void confinedProcessCannotSignalUdapi() throws Exception {
        sandbox = confined(SandboxMode.auto, ScriptSandbox.DEFAULT_READ, List.of(DEV, writable));
        long jvm = ProcessHandle.current().pid();
        Run run = sh(sandbox, "kill -0 " + jvm + " 2>&1; echo \"exit=$?\"; kill -0 $$ && echo self-ok");
        assertTrue(run.output().contains("Operation not permitted"), run.output());
        assertTrue(run.output().contains("exit=1"), run.output());
        assertTrue(run.output().contains("self-ok"), "a script still signals its own processes: " + run.output());
    }

    @Test
    void extraWritePathIsWritableAndAReadPathIsNot() throws Exception {
        Path shared = Files.createDirectory(root.resolve("shared"));
        Path readOnly = Files.createDirectory(root.resolve("read-only"));
        Files.writeString(readOnly.resolve("r.txt"), "readable");
        sandbox = confined(SandboxMode.required, concat(ScriptSandbox.DEFAULT_READ, readOnly), List.of(DEV, shared));
        Run run = sh(sandbox, "echo w > '" + shared.resolve("w.txt") + "' && cat '" + readOnly.resolve("r.txt")
                + "' && echo; echo no > '" + readOnly.resolve("x.txt") + "'");
        assertTrue(run.output().startsWith("readable\n"), run.output());
        assertTrue(run.output().contains("x.txt: Permission denied"), run.output());
        assertEquals("w\n", Files.readString(shared.resolve("w.txt")));
        assertFalse(Files.exists(readOnly.resolve("x.txt")));
    }

    @Test
    void missingPathsAreSkippedAndTheRestStillApplies() throws Exception {
        Path missing = root.resolve("does-not-exist");
        sandbox = confined(SandboxMode.required, concat(ScriptSandbox.DEFAULT_READ, missing), List.of(DEV));
        Landlock.Outcome.Restricted restricted = assertInstanceOf(Landlock.Outcome.Restricted.class, sandbox.outcome());
        assertTrue(restricted.skipped().contains(missing), restricted.toString());
        assertTrue(sh(sandbox, "cat '" + secretFile + "'").output().contains("Permission denied"));
    }

    @Test
    void exposedNamesSensitivePathsBeneathAGrantedPathOnly() throws Exception {
        sandbox = confined(SandboxMode.auto, ScriptSandbox.DEFAULT_READ, List.of(DEV, writable));
        Path underTmp = writable.resolve("udapi-data");
        Path underScripts = scripts.resolve("data");
        assertEquals(List.of(underTmp, underScripts), sandbox.exposed(List.of(data, underTmp, secretFile, underScripts)));
        try (ScriptSandbox off = ScriptSandbox.of(SandboxMode.off, scripts, ScriptSandbox.DEFAULT_READ, ScriptSandbox.DEFAULT_WRITE)) {
            assertEquals(List.of(data, secretFile), off.exposed(List.of(data, secretFile)), "unconfined, everything is exposed");
        }
    }

    @Test
    void defaultPathsAreTheConfigurationDefaults() throws Exception {
        assertEquals(ScriptSandbox.DEFAULT_READ, pathsOf(UdapiConfig.Sandbox.class.getMethod("readPaths")
                .getAnnotation(WithDefault.class).value()));
        assertEquals(ScriptSandbox.DEFAULT_WRITE, pathsOf(UdapiConfig.Sandbox.class.getMethod("writePaths")
                .getAnnotation(WithDefault.class).value()));
    }

    private static List<Path> pathsOf(String list) {
        return Arrays.stream(list.split(",")).map(Path::of).toList();
    }

    private static List<Path> concat(List<Path> base, Path extra) {
        List<Path> all = new java.util.ArrayList<>(base);
        all.add(extra);
        return all;
    }
}
