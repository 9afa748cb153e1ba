package io.udapi.limit.redis;

import io.udapi.os.InfrastructureProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests: found on the PATH (installed with {@code apt-get} when missing and the
 * tests run as root, as on CI), started on a free loopback port with no persistence in a temporary directory, and
 * stopped by {@link #stop()} (or at JVM exit). When no server can be had the test FAILS with a message saying
 * why; it is never skipped. {@link #stop()} then {@link #start()} restarts it on the same port, empty.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path binary;
    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    /** A new server on a free port, started. */
    public static RedisServer startNew() {
        try {
            RedisServer server = new RedisServer(findOrInstall(), Files.createTempDirectory(Files.createDirectories(Path.of("target/tmp")).toAbsolutePath(), "udapi-redis-"), freePort());
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-server for the tests: " + e, e);
        }
    }

    /**
     * A new server on {@code port} (a restart of one whose process another class loader owns, stopped with
     * {@code SHUTDOWN NOSAVE}), started.
     */
    public static RedisServer startOn(int port) {
        try {
            RedisServer server = new RedisServer(findOrInstall(), Files.createTempDirectory(Files.createDirectories(Path.of("target/tmp")).toAbsolutePath(), "udapi-redis-"), port);
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-server for the tests: " + e, e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server (again) on its port and waits until it answers PING. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--protected-mode", "no", "--daemonize", "no", "--loglevel", "warning")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile());
        try {
            process = InfrastructureProcesses.start(builder);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + binary + ": " + e, e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!"+PONG".equals(command("PING"))) {
            if (!started.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not answer PING on port " + port + " within "
                        + START_TIMEOUT.toSeconds() + " s; its log: " + log());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // poll with a deadline
        }
    }

    /** Stops the server (a hard kill, like a crash) and waits until it is gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        process = null;
    }

    /**
     * Kills the server with SIGKILL, as a crash or the OOM killer would (no shutdown, no reply to what is in flight,
     * connections reset), and waits until it is gone; {@link #start()} then restarts it on the same port, empty.
     *
     * @throws IllegalStateException when the server is not running, or did not end by SIGKILL
     */
    public synchronized void kill() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        process.destroyForcibly(); // SIGKILL on Linux
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not die of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (process.exitValue() != 128 + 9) {
            throw new IllegalStateException("redis-server on port " + port + " ended with " + process.exitValue()
                    + ", not by SIGKILL (137)");
        }
        process = null;
    }

    /** The pid of the running server, for messages. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        return process.pid();
    }

    /**
     * A loopback port that was free just now: for a test that must configure the server's address before it
     * starts the server itself ({@link #startOn(int)}).
     */
    public static int freeLoopbackPort() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * One inline command (no arguments with spaces) on a fresh connection; the first reply line, or null when the
     * server cannot be reached. For set-up and checks, not for the code under test.
     */
    public String command(String inline) {
        return command(port, inline);
    }

    /** {@link #command(String)} on the server at {@code port} of the loopback address. */
    public static String command(int port, String inline) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        } catch (IOException e) {
            return null;
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static Path findOrInstall() {
        Path found = onPath();
        if (found != null) {
            return found;
        }
        if (!isRoot()) {
            throw new IllegalStateException("redis-server is not on the PATH and the tests do not run as root, so it"
                    + " cannot be installed: install it (Debian: apt-get install redis-server) and run again");
        }
        try {
            Process apt = new ProcessBuilder("apt-get", "install", "-y", "-qq", "redis-server").inheritIO().start();
            if (!apt.waitFor(5, TimeUnit.MINUTES) || apt.exitValue() != 0) {
                throw new IllegalStateException("apt-get install redis-server failed; install it and run again");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("apt-get could not be run to install redis-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        found = onPath();
        if (found == null) {
            throw new IllegalStateException("apt-get installed redis-server, but it is not on the PATH");
        }
        return found;
    }

    private static Path onPath() {
        String path = System.getenv("PATH");
        List<String> dirs = new java.util.ArrayList<>(List.of((path == null ? "" : path).split(":")));
        dirs.add("/usr/bin"); // Debian's package, when the PATH of the test JVM is minimal
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean isRoot() {
        try {
            return "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                    StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
