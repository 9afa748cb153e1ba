package io.udapi.store.es;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import io.udapi.os.InfrastructureProcesses;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/**
 * A real single-node Elasticsearch (or OpenSearch) for tests, started as a child process from the
 * integ-test-zip distribution that maven-dependency-plugin unpacks into {@code target/search-engines}.
 *
 * <p>One node per distribution per test JVM: {@link #shared(Distribution)} starts it on first use
 * (about 6–12 s) and a shutdown hook stops it, so every test class reuses it. Tests isolate themselves
 * with their own index prefix instead of their own node.
 *
 * <ul>
 *   <li>Ports: free loopback ports for HTTP and transport, bound to 127.0.0.1 only.</li>
 *   <li>Java: the distribution needs Java 21+; see {@link #findJavaHome(Distribution)}. When none is
 *       found the start FAILS with a message; it never skips the tests.</li>
 *   <li>Root: both refuse to run as uid 0, so under root the node runs as uid/gid 65534 through
 *       {@code setpriv}, in a temporary work directory handed to that uid.</li>
 *   <li>Clean-up: stop kills the server by the pid file it writes (never by name) and removes the work
 *       directory. A watchdog shell does the same if this JVM dies without running its hooks.</li>
 * </ul>
 */
public final class ElasticsearchProcess {

    /** The two distributions the store is tested against. */
    public enum Distribution {
        ELASTICSEARCH("elasticsearch", "search-engines.elasticsearch.home", "target/search-engines/elasticsearch-9.5.3",
                "ES_JAVA_HOME", "ES_PATH_CONF", "ES_TMPDIR", "ES_JAVA_OPTS", "elasticsearch.yml",
                List.of("xpack.security.enabled: false", "xpack.ml.enabled: false")),
        OPENSEARCH("opensearch", "search-engines.opensearch.home", "target/search-engines/opensearch-3.6.0",
                "OPENSEARCH_JAVA_HOME", "OPENSEARCH_PATH_CONF", "OPENSEARCH_TMPDIR", "OPENSEARCH_JAVA_OPTS",
                "opensearch.yml", List.of());

        final String binary;
        final String homeProperty;
        final String defaultHome;
        final String javaHomeEnv;
        final String confEnv;
        final String tmpEnv;
        final String javaOptsEnv;
        final String configFile;
        final List<String> extraSettings;

        Distribution(String binary, String homeProperty, String defaultHome, String javaHomeEnv, String confEnv,
                     String tmpEnv, String javaOptsEnv, String configFile, List<String> extraSettings) {
            this.binary = binary;
            this.homeProperty = homeProperty;
            this.defaultHome = defaultHome;
            this.javaHomeEnv = javaHomeEnv;
            this.confEnv = confEnv;
            this.tmpEnv = tmpEnv;
            this.javaOptsEnv = javaOptsEnv;
            this.configFile = configFile;
            this.extraSettings = extraSettings;
        }
    }

    /** Where a JDK 21+ is looked for when the distribution's environment variable is unset. */
    static final String FALLBACK_JDK_TEXT = "/usr/lib/jvm/temurin-25-jdk-amd64";
    static final Path FALLBACK_JDK = Path.of(FALLBACK_JDK_TEXT);
    private static final int NOBODY = 65534;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Map<Distribution, ElasticsearchProcess> SHARED = new EnumMap<>(Distribution.class);
    /** A failed start is not retried by every following test: they all fail at once with its cause. */
    private static final Map<Distribution, RuntimeException> FAILED = new EnumMap<>(Distribution.class);

    private final Distribution distribution;
    private final Path work;
    private final int httpPort;
    private Process launcher;
    private Process watchdog;
    private RestClient client;
    private List<String> command;
    private Map<String, String> environment;

    private ElasticsearchProcess(Distribution distribution, Path work, int httpPort) {
        this.distribution = distribution;
        this.work = work;
        this.httpPort = httpPort;
    }

    /**
     * The node of this distribution for the whole test JVM, started on first call. {@code @QuarkusTest}s
     * load this class again in Quarkus's class loader, so the running node is also announced in a
     * system property (JVM-global) that the other copies attach to instead of starting a second node;
     * the lock is the (equally global) system properties object.
     */
    public static ElasticsearchProcess shared(Distribution distribution) {
        synchronized (System.getProperties()) {
            ElasticsearchProcess process = SHARED.get(distribution);
            if (process != null) {
                return process;
            }
            String runningPort = System.getProperty(runningProperty(distribution));
            if (runningPort != null) {
                process = new ElasticsearchProcess(distribution, null, Integer.parseInt(runningPort));
                SHARED.put(distribution, process);
                return process;
            }
            RuntimeException failed = FAILED.get(distribution);
            if (failed != null) {
                throw new IllegalStateException(distribution.binary + " failed to start earlier in this JVM", failed);
            }
            try {
                process = start(distribution);
            } catch (RuntimeException e) {
                FAILED.put(distribution, e);
                throw e;
            }
            ElasticsearchProcess started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stop-" + distribution.binary));
            SHARED.put(distribution, process);
            System.setProperty(runningProperty(distribution), Integer.toString(process.httpPort));
            return process;
        }
    }

    private static String runningProperty(Distribution distribution) {
        return "search-engines." + distribution.binary + ".running-port";
    }

    public static ElasticsearchProcess shared() {
        return shared(Distribution.ELASTICSEARCH);
    }

    /**
     * A node of its own (not shared), for tests that kill and restart it; stopped (and its files
     * removed) by {@link #stop()} or, failing that, by a shutdown hook and the watchdog.
     */
    public static ElasticsearchProcess startPrivate() {
        ElasticsearchProcess process = start(Distribution.ELASTICSEARCH);
        Runtime.getRuntime().addShutdownHook(new Thread(process::stop, "stop-private-elasticsearch"));
        return process;
    }

    /**
     * SIGKILL of the server, as a crash or a lost machine: its data directory is kept, so
     * {@link #restart()} brings the same data back on the same port. Acknowledged writes survive
     * (the translog is fsynced per request).
     */
    public synchronized void kill() throws IOException, InterruptedException {
        if (work == null) {
            throw new IllegalStateException("only a node this JVM started can be killed");
        }
        Optional<ProcessHandle> server = readPid().flatMap(ProcessHandle::of);
        server.ifPresent(ProcessHandle::destroyForcibly);
        if (launcher != null) {
            launcher.destroyForcibly();
            launcher.waitFor(10, TimeUnit.SECONDS);
        }
        server.ifPresent(handle -> handle.onExit().completeOnTimeout(handle, 20, TimeUnit.SECONDS).join());
        Files.deleteIfExists(pidFile());
    }

    /** Starts the killed server again with the same configuration, data and port; waits until healthy. */
    public synchronized void restart() throws IOException {
        if (command == null) {
            throw new IllegalStateException("only a node this JVM started can be restarted");
        }
        long t0 = System.nanoTime();
        startServer();
        System.out.printf("[%s] restarted on %s after %d ms%n", distribution.binary, hostAndPort(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int httpPort() {
        return httpPort;
    }

    /** {@code 127.0.0.1:<port>}, the form of {@code quarkus.elasticsearch.hosts}. */
    public String hostAndPort() {
        return host() + ":" + httpPort;
    }

    public Distribution distribution() {
        return distribution;
    }

    /** A low-level client for this node, shared by the tests and closed when the node stops. */
    public synchronized RestClient client() {
        if (client == null) {
            client = RestClient.builder(new HttpHost(host(), httpPort, "http")).build();
        }
        return client;
    }

    // ---- start ----------------------------------------------------------------------------------

    /** Starts a new node; callers normally want {@link #shared(Distribution)}. */
    static ElasticsearchProcess start(Distribution distribution) {
        Path home = Path.of(System.getProperty(distribution.homeProperty, distribution.defaultHome)).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bin").resolve(distribution.binary))) {
            throw new IllegalStateException("no " + distribution.binary + " distribution at " + home
                    + "; run the build through Maven (process-test-resources unpacks it) or set -D"
                    + distribution.homeProperty);
        }
        Path javaHome = findJavaHome(distribution);
        removeStaleWorkDirectories(distribution);
        ElasticsearchProcess process = null;
        try {
            Path work = Files.createTempDirectory("udapi-" + distribution.binary + "-");
            process = new ElasticsearchProcess(distribution, work, freePort());
            process.launch(home, javaHome, freePort());
            return process;
        } catch (IOException | RuntimeException e) {
            if (process != null) {
                process.stop();
            }
            throw new IllegalStateException("could not start " + distribution.binary + ": " + e.getMessage(), e);
        }
    }

    private void launch(Path home, Path javaHome, int transportPort) throws IOException {
        Path conf = work.resolve("config");
        Path data = work.resolve("data");
        Path logs = work.resolve("logs");
        Path tmp = work.resolve("tmp");
        copyDir(home.resolve("config"), conf);
        dropRelativeLogFiles(conf.resolve("jvm.options"));
        Files.createDirectories(data);
        Files.createDirectories(logs);
        Files.createDirectories(tmp);
        List<String> settings = new ArrayList<>(List.of(
                "cluster.name: udapi-test", "node.name: udapi-test-node", "network.host: 127.0.0.1",
                "http.port: " + httpPort, "transport.port: " + transportPort, "discovery.type: single-node",
                "cluster.routing.allocation.disk.threshold_enabled: false",
                "path.data: " + data, "path.logs: " + logs));
        settings.addAll(distribution.extraSettings);
        Files.writeString(conf.resolve(distribution.configFile), String.join("\n", settings) + "\n");

        List<String> command = new ArrayList<>();
        if (isRoot()) {
            // Elasticsearch and OpenSearch refuse uid 0: run as nobody, owner of the work directory
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx------"));
            run("chown", "-R", NOBODY + ":" + NOBODY, work.toString());
            command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        }
        command.addAll(List.of("bash", home.resolve("bin").resolve(distribution.binary).toString(),
                "-p", pidFile().toString()));
        this.command = List.copyOf(command);
        Map<String, String> env = new java.util.HashMap<>();
        env.put(distribution.javaHomeEnv, javaHome.toString());
        env.put(distribution.confEnv, conf.toString());
        env.put(distribution.tmpEnv, tmp.toString());
        env.put(distribution.javaOptsEnv, "-Xms256m -Xmx256m -XX:TieredStopAtLevel=1");
        this.environment = Map.copyOf(env);
        long t0 = System.nanoTime();
        startServer();
        startWatchdog();
        System.out.printf("[%s] up on %s after %d ms (java %s, work %s)%n", distribution.binary, hostAndPort(),
                (System.nanoTime() - t0) / 1_000_000, javaHome, work);
    }

    private void startServer() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())            // jvm.options writes gc.log and hs_err files here
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("stdout.log").toFile()));
        builder.environment().remove("JAVA_HOME");
        builder.environment().putAll(environment);
        launcher = InfrastructureProcesses.start(builder);
        waitForHealth();
    }

    /**
     * Kills the node and removes the work directory when this JVM is gone (e.g. {@code kill -9}
     * of a forked surefire JVM, which skips shutdown hooks). Targets only the pid in our pid file.
     */
    private void startWatchdog() throws IOException {
        String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 2; done; "
                + "if [ -f '" + pidFile() + "' ]; then kill $(cat '" + pidFile() + "') 2>/dev/null; sleep 5; fi; "
                + "rm -rf '" + work + "'";
        watchdog = InfrastructureProcesses.start(new ProcessBuilder("bash", "-c", script)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD));
    }

    private void waitForHealth() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        URI uri = URI.create("http://" + hostAndPort() + "/_cluster/health?wait_for_status=yellow&timeout=1s");
        while (System.nanoTime() < deadline) {
            if (!launcher.isAlive()) {
                throw new IllegalStateException(distribution.binary + " exited with " + launcher.exitValue()
                        + "; its output:\n" + tail(work.resolve("stdout.log")));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(3000);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(250);
        }
        throw new IllegalStateException(distribution.binary + " not healthy within " + START_TIMEOUT
                + "; its output:\n" + tail(work.resolve("stdout.log")));
    }

    // ---- stop -----------------------------------------------------------------------------------

    /**
     * Stops the node and deletes its files. The data is throw-away, so the server gets SIGKILL at once
     * rather than a graceful shutdown that can outlast surefire's exit timeout under load. The
     * watchdog is ended last, so it still cleans up if this JVM is killed half-way.
     */
    public synchronized void stop() {
        try {
            if (client != null) {
                client.close();
                client = null;
            }
            if (work == null) {
                return;   // attached to a node another class loader started and stops
            }
            Optional<ProcessHandle> server = readPid().flatMap(ProcessHandle::of);
            server.ifPresent(ProcessHandle::destroyForcibly);
            if (launcher != null) {
                launcher.destroyForcibly();
                launcher.waitFor(10, TimeUnit.SECONDS);
            }
            server.ifPresent(handle -> handle.onExit().completeOnTimeout(handle, 10, TimeUnit.SECONDS).join());
            run("rm", "-rf", work.toString());
            if (watchdog != null) {
                watchdog.destroy();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.printf("[%s] clean-up of %s incomplete: %s%n", distribution.binary, work, e);
        }
    }

    /**
     * Removes work directories of earlier runs whose node is gone (a JVM killed before its watchdog
     * could act). Only directories with a pid file naming a dead process, or without one and older
     * than an hour, are touched, so a node of a concurrent build is never disturbed.
     */
    private static void removeStaleWorkDirectories(Distribution distribution) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> dirs = Files.list(tmp)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("udapi-" + distribution.binary + "-"))
                    .toList()) {
                Path pid = dir.resolve(distribution.binary + ".pid");
                boolean stale;
                if (Files.exists(pid)) {
                    String text = Files.readString(pid).trim();
                    stale = !text.isEmpty() && ProcessHandle.of(Long.parseLong(text)).map(p -> !p.isAlive()).orElse(true);
                } else {
                    stale = Files.getLastModifiedTime(dir).toInstant().isBefore(java.time.Instant.now().minus(Duration.ofHours(1)));
                }
                if (stale) {
                    run("rm", "-rf", dir.toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.printf("[%s] could not tidy old work directories: %s%n", distribution.binary, e);
        }
    }

    private Path pidFile() {
        return work.resolve(distribution.binary + ".pid");
    }

    private Optional<Long> readPid() throws IOException {
        Path pid = pidFile();
        if (!Files.exists(pid)) {
            return Optional.empty();
        }
        String text = Files.readString(pid).trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
    }

    // ---- Java -----------------------------------------------------------------------------------

    /**
     * A JDK 21+ for the node: the distribution's variable ({@code ES_JAVA_HOME} or
     * {@code OPENSEARCH_JAVA_HOME}) when set, else {@value #FALLBACK_JDK_TEXT}, else the JVM running the
     * tests if it is 21+. Anything else fails with a message saying what to install or set.
     */
    static Path findJavaHome(Distribution distribution) {
        String fromEnv = System.getenv(distribution.javaHomeEnv);
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path home = Path.of(fromEnv);
            int feature = javaFeature(home);
            if (feature < 21) {
                throw new IllegalStateException(distribution.javaHomeEnv + "=" + fromEnv + " is "
                        + (feature < 0 ? "not a JDK" : "Java " + feature) + "; " + distribution.binary
                        + " needs Java 21 or newer");
            }
            return home;
        }
        if (javaFeature(FALLBACK_JDK) >= 21) {
            return FALLBACK_JDK;
        }
        Path current = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() >= 21) {
            return current;
        }
        throw new IllegalStateException("no Java 21+ to run " + distribution.binary + " for the store tests: set "
                + distribution.javaHomeEnv + " to a JDK 21+ (or install one at " + FALLBACK_JDK
                + "); the tests run on Java " + Runtime.version().feature() + " at " + current);
    }

    private static final Pattern JAVA_VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    /** The feature version from {@code <home>/release}, -1 when it is no JDK. */
    static int javaFeature(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin").resolve("java")) || !Files.isRegularFile(release)) {
            return -1;
        }
        try {
            Matcher m = JAVA_VERSION.matcher(Files.readString(release, StandardCharsets.UTF_8));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void run(String... command) throws IOException {
        try {
            Process p = InfrastructureProcesses.start(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD));
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void copyDir(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path to = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(path, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * The stock jvm.options write the GC log, error and heap-dump files relative to the working
     * directory, which OpenSearch's launcher changes to its (root-owned) home: such lines are dropped.
     */
    private static void dropRelativeLogFiles(Path jvmOptions) throws IOException {
        if (Files.exists(jvmOptions)) {
            List<String> kept = Files.readAllLines(jvmOptions).stream()
                    .filter(line -> !line.contains("gc.log") && !line.contains("ErrorFile") && !line.contains("HeapDumpPath"))
                    .toList();
            Files.write(jvmOptions, kept);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the node", e);
        }
    }
}
