package io.udapi.limit.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The log of every run of udapi's limiter script on a real {@code redis-server}, read from the server itself with
 * {@code MONITOR}: each run's key and time, and each admission's stamp, all on the server's clock. What the
 * instances say about their decisions can then be compared with what the server did.
 *
 * <p><b>The feed</b> (checked against Debian's redis-server 7.0.15): one RESP simple string per command,
 * {@code +<seconds>.<6-digit µs> [<db> <client address>] "CMD" "arg" ...}, arguments quoted and escaped as
 * {@code sdscatrepr} does ({@code \\ \" \n \r \t \a \b \xHH}). Commands a script runs follow its {@code EVALSHA}
 * or {@code EVAL} line at once, tagged {@code [0 lua]} instead of an address: the server runs one command at a time,
 * so nothing of another client comes between them. For {@code sliding-log.lua} (ARGV[3] empty, the server's clock)
 * that is {@code TIME}, {@code LRANGE <key> 0 <limit-1>}, and on an admission {@code LPUSH <key> <stamp µs>},
 * {@code LTRIM}, {@code PTTL}, {@code PEXPIRE}. An {@code EVALSHA} answered NOSCRIPT has no {@code [0 lua]} lines
 * and the {@code EVAL} that follows it does: counting runs by their {@code TIME} lines counts each attempt once.
 *
 * <p><b>Which time is an attempt's.</b> The script's {@code now} is the reply of its {@code TIME}, which the feed
 * does not show. The feed stamps a script's own commands after they ran (the {@code TIME} line is 4 µs after the
 * reading it returned, by hand on this machine; the {@code LPUSH} that follows carries the reading itself), and a
 * client's command before it runs ({@code EVAL} is 250 µs before {@code TIME} when the script must be compiled,
 * about 15 µs for {@code EVALSHA}). So an attempt's time here is the stamp of its {@code TIME} line: a few µs after
 * the script's {@code now}, on the same clock.
 *
 * <p>One reader thread parses the feed; the logs are read after {@link #finish(Duration)}, which ends the feed at a
 * marker ({@code ECHO} of a random word sent on another connection), so that every command the server ran before
 * it has been read.
 */
public final class RedisMonitor implements AutoCloseable {

    /** The runs of the script on one key, in the server's order. */
    public static final class KeyLog {
        private long[] runs = new long[64];
        private int runCount;
        private long[] stamps = new long[16];
        private int stampCount;

        /** Times (µs, the server's clock) of each run of the script on this key: each attempt decided. */
        public long[] runs() {
            return Arrays.copyOf(runs, runCount);
        }

        /** The stamp (µs, the server's clock) of each admission the script recorded, in the order recorded. */
        public long[] stamps() {
            return Arrays.copyOf(stamps, stampCount);
        }

        private void run(long at) {
            if (runCount == runs.length) {
                runs = Arrays.copyOf(runs, runCount * 2);
            }
            runs[runCount++] = at;
        }

        private void stamp(long stamp) {
            if (stampCount == stamps.length) {
                stamps = Arrays.copyOf(stamps, stampCount * 2);
            }
            stamps[stampCount++] = stamp;
        }
    }

    private final int port;
    private final Socket socket;
    private final InputStream in;
    private final String marker = "udapi-monitor-end-" + UUID.randomUUID();
    private final Map<String, KeyLog> keys = new HashMap<>();
    private final Thread reader;
    private volatile Throwable failure;
    private volatile boolean ended;
    private long lines;
    private long scriptCalls;
    /** The stamp of the latest {@code [0 lua] "TIME"} line: the time of the run whose LRANGE comes next. */
    private long lastTime = -1;

    private RedisMonitor(int port) throws IOException {
        this.port = port;
        this.socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        socket.setSoTimeout(0); // the feed is quiet while nothing runs; finish() closes the socket if it must
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 20);
        OutputStream out = socket.getOutputStream();
        out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String ok = line();
        if (!"+OK".equals(ok)) {
            socket.close();
            throw new IOException("MONITOR on port " + port + " answered " + ok);
        }
        this.reader = new Thread(this::read, "redis-monitor-" + port);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts reading the feed of the server on {@code port}; every command the server runs after this returns is read. */
    public static RedisMonitor open(int port) throws IOException {
        return new RedisMonitor(port);
    }

    /**
     * Ends the feed: sends the marker, waits until the reader has read up to it, and answers the logs by key.
     *
     * @throws AssertionError when the reader failed, or did not reach the marker within {@code timeout}
     */
    public Map<String, KeyLog> finish(Duration timeout) throws InterruptedException {
        String echoed = RedisServer.command(port, "ECHO " + marker);
        if (echoed == null) {
            throw new AssertionError("the redis-server on port " + port + " does not answer; the feed cannot be ended");
        }
        reader.join(timeout.toMillis());
        if (reader.isAlive()) {
            close();
            throw new AssertionError("the MONITOR feed did not reach its end marker within " + timeout + " (" + lines
                    + " lines read)");
        }
        if (failure != null) {
            throw new AssertionError("reading the MONITOR feed failed after " + lines + " lines: " + failure, failure);
        }
        return keys;
    }

    /** Lines read (after {@link #finish}). */
    public long lines() {
        return lines;
    }

    /** {@code EVALSHA} and {@code EVAL} commands read (after {@link #finish}), NOSCRIPT answers included. */
    public long scriptCalls() {
        return scriptCalls;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }

    private void read() {
        try {
            for (String line = line(); line != null; line = line()) {
                lines++;
                if (line.startsWith("-")) {
                    throw new IOException("the server ended the feed: " + line);
                }
                if (!line.startsWith("+")) {
                    continue; // not a feed line (nothing else is expected)
                }
                if (parse(line)) {
                    ended = true;
                    return;
                }
            }
            throw new IOException("the connection closed before the end marker");
        } catch (Throwable e) {
            if (!ended) {
                failure = e;
            }
        } finally {
            close();
        }
    }

    /** One feed line; true at the end marker. */
    private boolean parse(String line) throws IOException {
        int space = line.indexOf(' ');
        int dot = line.indexOf('.');
        int open = line.indexOf('[', space);
        int close = line.indexOf(']', open);
        if (space < 0 || dot < 0 || dot > space || open < 0 || close < 0 || space - dot != 7) {
            throw new IOException("not a MONITOR line: " + line);
        }
        long at = Long.parseLong(line, 1, dot, 10) * 1_000_000L + Long.parseLong(line, dot + 1, space, 10);
        boolean lua = line.regionMatches(close - 4, " lua", 0, 4);
        List<String> words = words(line, close + 1);
        if (words.isEmpty()) {
            throw new IOException("a MONITOR line without a command: " + line);
        }
        String command = words.get(0);
        if (lua) {
            switch (command) {
                case "TIME" -> lastTime = at;
                case "LRANGE" -> {
                    if (lastTime < 0) {
                        throw new IOException("a script's LRANGE without its TIME: " + line);
                    }
                    keys.computeIfAbsent(words.get(1), k -> new KeyLog()).run(lastTime);
                    lastTime = -1;
                }
                case "LPUSH" -> keys.computeIfAbsent(words.get(1), k -> new KeyLog()).stamp(Long.parseLong(words.get(2)));
                default -> {
                    // LTRIM, PTTL, PEXPIRE: nothing to record
                }
            }
            return false;
        }
        if (command.equalsIgnoreCase("EVALSHA") || command.equalsIgnoreCase("EVAL")) {
            scriptCalls++;
        }
        return command.equalsIgnoreCase("ECHO") && words.size() == 2 && words.get(1).equals(marker);
    }

    /** The quoted words of a feed line from {@code from}, unescaped. */
    private static List<String> words(String line, int from) throws IOException {
        List<String> words = new ArrayList<>(8);
        int i = from;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ') {
                i++;
                continue;
            }
            if (c != '"') {
                throw new IOException("unquoted word at " + i + ": " + line);
            }
            StringBuilder word = new StringBuilder();
            i++;
            while (true) {
                if (i >= n) {
                    throw new IOException("unterminated word: " + line);
                }
                char d = line.charAt(i++);
                if (d == '"') {
                    break;
                }
                if (d != '\\') {
                    word.append(d);
                    continue;
                }
                char e = line.charAt(i++);
                switch (e) {
                    case 'n' -> word.append('\n');
                    case 'r' -> word.append('\r');
                    case 't' -> word.append('\t');
                    case 'a' -> word.append('\u0007');
                    case 'b' -> word.append('\b');
                    case 'x' -> {
                        word.append((char) Integer.parseInt(line, i, i + 2, 16));
                        i += 2;
                    }
                    default -> word.append(e); // \\ and \"
                }
            }
            words.add(word.toString());
        }
        return words;
    }

    /** One line of the feed without its CR LF, as ISO-8859-1 (the feed escapes every byte outside ASCII). */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return null;
    }
}
