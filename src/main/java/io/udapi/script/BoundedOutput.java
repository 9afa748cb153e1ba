package io.udapi.script;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a stream up to a limit, never holding more than {@code limit + CHUNK} bytes: chunks are
 * allocated as data arrives and reading stops at the first byte past the limit. Single-threaded.
 */
final class BoundedOutput {
    static final int CHUNK = 64 * 1024;

    private final List<byte[]> full = new ArrayList<>();
    private byte[] current;
    private int filled;
    private long total;
    private boolean exceeded;

    private BoundedOutput() {
    }

    /** Reads {@code in} to its end, or until more than {@code limit} bytes came (then {@link #exceeded()}). */
    static BoundedOutput read(InputStream in, long limit) throws IOException {
        BoundedOutput out = new BoundedOutput();
        out.current = new byte[(int) Math.min(CHUNK, limit + 1)];
        while (true) {
            int want = (int) Math.min(out.current.length - out.filled, limit + 1 - out.total);
            int n = in.read(out.current, out.filled, want);
            if (n < 0) {
                return out;
            }
            out.filled += n;
            out.total += n;
            if (out.total > limit) {
                out.exceeded = true;
                return out;
            }
            if (out.filled == out.current.length) {
                out.full.add(out.current);
                out.current = new byte[(int) Math.min(CHUNK, limit + 1 - out.total)];
                out.filled = 0;
            }
        }
    }

    boolean exceeded() {
        return exceeded;
    }

    long size() {
        return total;
    }

    /** Bytes of buffer allocated, for the bound check of tests. */
    long bufferedCapacity() {
        long capacity = current.length;
        for (byte[] b : full) {
            capacity += b.length;
        }
        return capacity;
    }

    /** The bytes read, without copying them into one array. */
    InputStream stream() {
        List<InputStream> parts = new ArrayList<>(full.size() + 1);
        for (byte[] b : full) {
            parts.add(new ByteArrayInputStream(b));
        }
        parts.add(new ByteArrayInputStream(current, 0, filled));
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /**
     * The last {@code max} bytes of a stream read to its end, for logs: everything before is
     * discarded as it arrives. Thread-confined to the draining thread until {@link #text()} is read
     * while or after it drains (reads see whole chunks).
     */
    static final class Tail {
        private final byte[] ring;
        private long total;

        Tail(int max) {
            ring = new byte[max];
        }

        void drain(InputStream in) throws IOException {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                append(buf, n);
            }
        }

        private synchronized void append(byte[] buf, int n) {
            for (int i = 0; i < n; i++) {
                ring[(int) (total++ % ring.length)] = buf[i];
            }
        }

        void drainQuietly(InputStream in) {
            try {
                drain(in);
            } catch (IOException e) {
                // the stream was closed under us: keep what we have
            }
        }

        /** The tail as one log-safe line: control characters escaped, "..." when truncated. */
        synchronized String text() {
            int len = (int) Math.min(total, ring.length);
            byte[] bytes = new byte[len];
            long start = total - len;
            for (int i = 0; i < len; i++) {
                bytes[i] = ring[(int) ((start + i) % ring.length)];
            }
            return (start > 0 ? "..." : "") + logSafe(new String(bytes, StandardCharsets.UTF_8));
        }

        synchronized boolean isEmpty() {
            return total == 0;
        }
    }

    /**
     * {@code s} as one log line that cannot forge another: newline and carriage return as {@code \\n} and
     * {@code \\r}, other control characters (an ANSI escape's ESC too) as {@code \\uXXXX}; tab stays.
     */
    static String logSafe(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c != '\t' && Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
