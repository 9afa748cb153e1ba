package io.udapi.it;

import io.udapi.os.InfrastructureProcesses;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) started as a separate JVM on free
 * loopback ports, with its log captured in a file: what a user runs, not an in-process test app.
 * By default it runs as the test's own user; {@link #asUnprivilegedUser} runs it as uid 65534.
 */
final class ServiceProcess implements AutoCloseable {

    static final String ADMIN_PASSWORD = "it-admin-password-0123";

    private final Path dataDir;
    private final Path log;
    private final Map<String, String> extraConfig;
    private final Map<String, String> extraEnv = new HashMap<>();
    private Path unprivilegedHome;
    private Process process;
    private int httpPort;
    private int managementPort;
    private long readyMillis = -1;

    ServiceProcess(Path dataDir, Path log, Map<String, String> extraConfig) {
        this.dataDir = dataDir;
        this.log = log;
        this.extraConfig = extraConfig;
    }

    /** Adds (or replaces) a variable of the service's environment; call before {@link #start()}. */
    ServiceProcess withEnvironment(String name, String value) {
        extraEnv.put(name, value);
        return this;
    }

    /**
     * Runs the service as uid/gid {@value #NOBODY} (through {@code setpriv} when the test runs as root), with
     * {@code home} (created, handed to that uid) as its {@code HOME} and {@code java.io.tmpdir}; the data
     * directory is handed over too. Everything else it reads (the checkout, the JDK, the scripts) must be
     * world-readable. When the test itself is not root it already is unprivileged, and runs the service as itself.
     *
     * @throws IllegalStateException at {@link #start()} when the test runs as root and {@code setpriv} is missing
     */
    ServiceProcess asUnprivilegedUser(Path home) {
        this.unprivilegedHome = home;
        return this;
    }

    static final int NOBODY = 65534;

    static Path runnerJar() {
        Path jar = Path.of(System.getProperty("udapi.runner.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " does not exist: run the integration tests through ./mvnw verify");
        }
        return jar;
    }

    ServiceProcess start() throws Exception {
        return start(Duration.ofSeconds(60));
    }

    ServiceProcess start(Duration readyTimeout) throws Exception {
        httpPort = freePort();
        managementPort = freePort();
        List<String> command = new ArrayList<>(unprivilegedPrefix());
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // Diagnostics only (profilers, JIT flags): -Dudapi.it.service-jvm-options="-XX:... -XX:..."
        String jvmOptions = System.getProperty("udapi.it.service-jvm-options", "").trim();
        if (!jvmOptions.isEmpty()) {
            command.addAll(List.of(jvmOptions.split("\\s+")));
        }
        command.addAll(List.of(
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.management.port=" + managementPort,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.management.host=127.0.0.1",
                "-Dudapi.file-store.dir=" + dataDir,
                "-Dudapi.scripts.dir=" + Path.of("scripts").toAbsolutePath(),
                "-Dudapi.node-id=it-node"));
        if (unprivilegedHome != null) {
            command.add("-Djava.io.tmpdir=" + unprivilegedHome.resolve("tmp"));
        }
        extraConfig.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(runnerJar().toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("UDAPI_ADMIN_PASSWORD", ADMIN_PASSWORD);
        if (unprivilegedHome != null) {
            env.put("HOME", unprivilegedHome.toString());
        }
        env.putAll(extraEnv);
        long t0 = System.nanoTime();
        process = InfrastructureProcesses.start(builder);
        awaitReady(readyTimeout);
        readyMillis = (System.nanoTime() - t0) / 1_000_000;
        return this;
    }

    /** {@code setpriv ... --} when the service must drop root; empty otherwise. Prepares the directories. */
    private List<String> unprivilegedPrefix() throws IOException {
        if (unprivilegedHome == null) {
            return List.of();
        }
        Files.createDirectories(unprivilegedHome.resolve("tmp"));
        Files.createDirectories(dataDir);
        if (!isRoot()) {
            return List.of();
        }
        Path setpriv = Stream.of("/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv").map(Path::of)
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("setpriv (util-linux) is missing: it is needed to start "
                        + "udapi as uid " + NOBODY + " from a test running as root; install util-linux"));
        for (Path dir : List.of(unprivilegedHome, unprivilegedHome.resolve("tmp"), dataDir)) {
            Files.setAttribute(dir, "unix:uid", NOBODY);
            Files.setAttribute(dir, "unix:gid", NOBODY);
        }
        return List.of(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--");
    }

    static boolean isRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("udapi exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) ready.toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("udapi not ready within " + timeout + ":\n" + Files.readString(log));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Milliseconds from the process start to the first 200 of /q/health/ready (polled every 20 ms). */
    long readyMillis() {
        return readyMillis;
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return log;
    }

    int managementPort() {
        return managementPort;
    }

    /** SIGKILL: no shutdown hook, no flush, exactly what a crash or the OOM killer does. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** What Kubernetes sends to stop a pod. */
    void sigterm() {
        process.destroy();
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("udapi did not exit within " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * A service (not yet started) on the Elasticsearch at {@code hosts} under {@code prefix}, with its data
     * directory and log named {@code name} in {@code work}: the instance of the multi-instance tests.
     *
     * @param more further settings, as key-value pairs
     */
    static ServiceProcess onElasticsearch(Path work, String hosts, String prefix, String pepper, String name, String... more) {
        Map<String, String> config = config(more);
        config.put("udapi.store", "elasticsearch");
        config.put("quarkus.elasticsearch.hosts", hosts);
        config.put("udapi.elasticsearch.index-prefix", prefix);
        config.put("udapi.secrets.pepper", pepper);
        return new ServiceProcess(work.resolve(name + "-data"), work.resolve(name + ".log"), config);
    }

    static Map<String, String> config(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
