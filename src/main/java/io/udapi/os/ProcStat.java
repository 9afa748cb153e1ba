package io.udapi.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of {@code /proc/<pid>/stat} (proc(5)) that udapi uses. The command name is in parentheses
 * and may itself contain spaces and parentheses (a process chooses it), so the fields after it are
 * found from the last {@code ')'}, never by splitting the whole line.
 *
 * @param pid     process id
 * @param comm    command name, at most 15 bytes, as the process set it
 * @param state   {@code R}, {@code S}, {@code D}, {@code Z} (zombie: exited, not yet reaped), ...
 * @param ppid    parent's process id
 * @param pgrp    process group id
 * @param session session id
 */
public record ProcStat(long pid, String comm, char state, long ppid, long pgrp, long session) {

    /** Whether the process has exited and waits for its parent to reap it. */
    public boolean zombie() {
        return state == 'Z';
    }

    /**
     * Parses one {@code stat} line.
     *
     * @throws IllegalArgumentException when the line does not have the proc(5) shape
     */
    public static ProcStat parse(String line) {
        int open = line.indexOf(" (");
        int close = line.lastIndexOf(')');
        if (open <= 0 || close < open) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
        }
        String[] rest = line.substring(close + 1).trim().split(" ");
        if (rest.length < 4 || rest[0].length() != 1) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
        }
        try {
            return new ProcStat(Long.parseLong(line.substring(0, open)), line.substring(open + 2, close),
                    rest[0].charAt(0), Long.parseLong(rest[1]), Long.parseLong(rest[2]), Long.parseLong(rest[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line, e);
        }
    }

    /** The stat of {@code pid}; empty when it no longer exists (or is not readable). */
    public static Optional<ProcStat> read(long pid) {
        try {
            return Optional.of(parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat"),
                    StandardCharsets.ISO_8859_1)));
        } catch (IOException | IllegalArgumentException gone) {
            return Optional.empty();
        }
    }

    /**
     * Parses {@code /proc/<pid>/task/<tid>/children}: the pids of that thread's children, separated by
     * spaces (an empty file: none).
     */
    public static List<Long> parseChildren(String text) {
        List<Long> pids = new ArrayList<>();
        for (String s : text.trim().split("\\s+")) {
            if (!s.isEmpty()) {
                pids.add(Long.parseLong(s));
            }
        }
        return pids;
    }
}
