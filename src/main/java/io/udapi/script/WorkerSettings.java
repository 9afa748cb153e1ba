package io.udapi.script;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the worker pool of one script behaves (docs/workers.md). A script is a worker when a file
 * {@code <scriptName>.worker} lies beside it; the file may be empty (the defaults of
 * {@code udapi.workers.*}) or hold {@code key=value} lines that override them for this script:
 * {@code min}, {@code max}, {@code concurrency}, {@code max-requests}. {@code #} starts a comment.
 *
 * @param min         processes kept running even when idle (0..max)
 * @param max         processes at most (≥ 1)
 * @param concurrency requests in flight per process (≥ 1; 1 unless the script says it interleaves)
 * @param maxRequests requests one process serves before it is replaced (0: never)
 */
record WorkerSettings(int min, int max, int concurrency, long maxRequests) {
    static final String SUFFIX = ".worker";
    private static final int LIMIT = 1000;

    WorkerSettings {
        if (max < 1 || max > LIMIT) {
            throw new IllegalArgumentException("max must be 1.." + LIMIT + ": " + max);
        }
        if (min < 0 || min > max) {
            throw new IllegalArgumentException("min must be 0..max (" + max + "): " + min);
        }
        if (concurrency < 1 || concurrency > LIMIT) {
            throw new IllegalArgumentException("concurrency must be 1.." + LIMIT + ": " + concurrency);
        }
        if (maxRequests < 0) {
            throw new IllegalArgumentException("max-requests must be >= 0: " + maxRequests);
        }
    }

    /** The defaults: {@code udapi.workers.min} 1, {@code max} {@code max(2, cores)}, one request each, 10,000 requests. */
    static WorkerSettings defaults() {
        return new WorkerSettings(1, Math.max(2, Runtime.getRuntime().availableProcessors()), 1, 10_000);
    }

    /** What the marker file of a script says: not a worker, a worker with these settings, or a broken file. */
    sealed interface Marker {
        record NotAWorker() implements Marker {
        }

        record Worker(WorkerSettings settings) implements Marker {
        }

        record Invalid(String problem) implements Marker {
        }
    }

    /** Reads {@code <script>.worker} (blocking file I/O: worker threads only). */
    static Marker read(Path script, WorkerSettings defaults) {
        Path file = script.resolveSibling(script.getFileName() + SUFFIX);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Marker.NotAWorker();
        } catch (CharacterCodingException e) {
            return new Marker.Invalid(file.getFileName() + " is not UTF-8");
        } catch (IOException e) {
            return Files.exists(file) ? new Marker.Invalid(file.getFileName() + " cannot be read: " + e.getMessage())
                    : new Marker.NotAWorker();
        }
        return parse(file.getFileName().toString(), lines, defaults);
    }

    static Marker parse(String fileName, List<String> lines, WorkerSettings defaults) {
        Map<String, Long> values = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replace("\uFEFF", "");
            int hash = line.indexOf('#');
            line = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq).strip();
            if (eq < 0 || !List.of("min", "max", "concurrency", "max-requests").contains(key)) {
                return new Marker.Invalid(fileName + " line " + (i + 1) + ": expected min=, max=, concurrency= or max-requests=");
            }
            try {
                values.put(key, Long.parseLong(line.substring(eq + 1).strip()));
            } catch (NumberFormatException e) {
                return new Marker.Invalid(fileName + " line " + (i + 1) + ": " + key + " needs a whole number");
            }
        }
        try {
            int max = Math.toIntExact(values.getOrDefault("max", (long) defaults.max()));
            int min = Math.toIntExact(values.getOrDefault("min", (long) Math.min(defaults.min(), max)));
            return new Marker.Worker(new WorkerSettings(min, max,
                    Math.toIntExact(values.getOrDefault("concurrency", (long) defaults.concurrency())),
                    values.getOrDefault("max-requests", defaults.maxRequests())));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return new Marker.Invalid(fileName + ": " + e.getMessage());
        }
    }
}
