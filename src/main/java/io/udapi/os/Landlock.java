package io.udapi.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Landlock (Linux 5.13 and later): an unprivileged thread takes away its own access to the file system,
 * except beneath the paths it names, and every process it starts from then on inherits the restriction,
 * which no process can ever lift. udapi restricts the threads that start scripts, so scripts cannot read
 * what udapi can (docs/security.md, "Script isolation").
 *
 * <p>What a {@link Rules} value grants: beneath each readable path, executing and reading files and listing
 * directories; beneath each writable path, every file-system right the kernel knows. Everything else is
 * refused with {@code EACCES}, whatever the file's owner and mode, for root too. With ABI 6 (Linux 6.12) and
 * later the restricted processes also cannot send a signal to, or connect to an abstract Unix socket of, a
 * process outside their restriction: a script cannot stop udapi, nor make the JVM open its attach socket
 * (which needs a {@code SIGQUIT}). Reading {@code /proc} of a process outside the restriction is refused by
 * Landlock's ptrace rule as well as by udapi's non-dumpable flag. With ABI 4 (Linux 6.7) and later, rules that
 * name TCP ports limit TCP connections to those ports ({@code EACCES} for any other); UDP is not covered.
 *
 * <p>The restriction applies to the calling thread only (the rest of the JVM keeps its access), which is why
 * it is always called on a thread that does nothing afterwards but start processes. Answers a
 * {@link Outcome} and never throws for a refusal of the kernel.
 */
public final class Landlock {

    private static final long CREATE_RULESET = 444;  // the same number on every architecture (unified table)
    private static final long ADD_RULE = 445;
    private static final long RESTRICT_SELF = 446;
    private static final int CREATE_RULESET_VERSION = 1;
    private static final int RULE_PATH_BENEATH = 1;
    private static final int RULE_NET_PORT = 2;                // ABI 4
    private static final long CONNECT_TCP = 1L << 1;           // ABI 4: handled_access_net
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int O_PATH = 0x200000;       // 010000000, x86-64 and AArch64
    private static final int O_CLOEXEC = 0x80000;     // 02000000

    // access rights (include/uapi/linux/landlock.h)
    private static final long EXECUTE = 1L;
    private static final long WRITE_FILE = 1L << 1;
    private static final long READ_FILE = 1L << 2;
    private static final long READ_DIR = 1L << 3;
    private static final long TRUNCATE = 1L << 14;   // ABI 3
    private static final long IOCTL_DEV = 1L << 15;  // ABI 5
    /** The rights that apply to a file (not a directory) named by a rule. */
    private static final long FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV;
    private static final long READ_RIGHTS = EXECUTE | READ_FILE | READ_DIR;
    private static final long SCOPE_ABSTRACT_UNIX_SOCKET = 1L;  // ABI 6
    private static final long SCOPE_SIGNAL = 1L << 1;          // ABI 6

    /** Every class a restricted thread may still need of this one, loaded before the restriction. */
    private static final List<Class<?>> LOADED_BEFORE = List.of(Outcome.Restricted.class, Outcome.Unavailable.class,
            Outcome.Failed.class, Memory.class, Ruleset.class);

    private Landlock() {
    }

    /**
     * What a restricted thread keeps: paths that need not exist (a missing one is skipped), and the TCP ports it
     * may connect to (empty: every port, the network is not restricted; with ABI 4, Linux 6.7, and later).
     */
    public record Rules(List<Path> readable, List<Path> writable, java.util.Optional<java.util.Set<Integer>> tcpConnectPorts) {
        public Rules {
            readable = List.copyOf(readable);
            writable = List.copyOf(writable);
            tcpConnectPorts = tcpConnectPorts.map(java.util.Set::copyOf);
            tcpConnectPorts.ifPresent(ports -> ports.forEach(port -> {
                if (port < 0 || port > 65_535) {
                    throw new IllegalArgumentException("not a TCP port: " + port + " (0 to 65535)");
                }
            }));
        }

        /** Paths only; the network is not restricted. */
        public Rules(List<Path> readable, List<Path> writable) {
            this(readable, writable, java.util.Optional.empty());
        }
    }

    /** How a restriction went. */
    public sealed interface Outcome {
        /**
         * In effect, with the kernel's Landlock ABI; {@code skipped}: paths of the rules that do not exist;
         * {@code tcpRestricted}: TCP connections are limited to the rules' ports (false when the rules name none, or
         * the ABI is older than 4).
         */
        record Restricted(int abi, boolean scoped, List<Path> skipped, boolean tcpRestricted) implements Outcome {
        }

        /** Not in effect: the kernel has no Landlock, or it is disabled, or this is not Linux with JNA. */
        record Unavailable(String reason) implements Outcome {
        }

        /** Not in effect: a step the kernel refused, with its errno; the thread is unchanged. */
        record Failed(String step, int errno) implements Outcome {
        }
    }

    /** The kernel's Landlock ABI version, or a negative errno ({@code -ENOSYS}: not built in). */
    public static int abi() {
        LibC libc = Posix.libc();
        if (libc == null) {
            return -Posix.ENOSYS;
        }
        long version = libc.syscall(CREATE_RULESET, null, 0, CREATE_RULESET_VERSION);
        return version < 0 ? -Native.getLastError() : (int) version;
    }

    /** Restricts the calling thread, and every process it starts from now on, to {@code rules}. */
    public static Outcome restrictCurrentThread(Rules rules) {
        Prepared prepared = prepare(rules);
        if (prepared.ruleset() == null) {
            return prepared.refusal();
        }
        try (Ruleset ruleset = prepared.ruleset()) {
            return ruleset.restrictCurrentThread();
        }
    }

    /** A {@link Ruleset}, or why none could be built ({@link Outcome.Unavailable} or {@link Outcome.Failed}); one of the two. */
    public record Prepared(Ruleset ruleset, Outcome refusal) {
    }

    /**
     * Rules handed to the kernel once, as a ruleset file descriptor. Every thread that restricts itself to it
     * gets a Landlock domain of its own (so processes of two such threads cannot reach each other through
     * {@code /proc} or signals), at the cost of two system calls: the paths were opened and added here. The
     * paths are bound as they are now; a directory replaced later is not covered. Thread-safe; closing it
     * ends later restrictions, never one in effect.
     */
    public static final class Ruleset implements AutoCloseable {
        private final LibC libc;
        private final int fd;
        private final Outcome.Restricted restricted;

        private Ruleset(LibC libc, int fd, Outcome.Restricted restricted) {
            this.libc = libc;
            this.fd = fd;
            this.restricted = restricted;
        }

        /** Restricts the calling thread, and every process it starts from now on, to this ruleset. */
        public Outcome restrictCurrentThread() {
            // needed without CAP_SYS_ADMIN; per thread, inherited, and it only stops set-uid programs from gaining rights
            if (libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
                return new Outcome.Failed("prctl(PR_SET_NO_NEW_PRIVS)", Native.getLastError());
            }
            if (libc.syscall(RESTRICT_SELF, fd, 0) != 0) {
                return new Outcome.Failed("landlock_restrict_self", Native.getLastError());
            }
            return restricted;
        }

        @Override
        public void close() {
            libc.close(fd);
        }
    }

    /** Builds the ruleset of {@code rules}; restricts nothing yet. */
    public static Prepared prepare(Rules rules) {
        // loaded now: once restricted, a thread could not open the class files (docs/security.md)
        LOADED_BEFORE.size();
        LibC libc = Posix.libc();
        if (libc == null) {
            return new Prepared(null, new Outcome.Unavailable(Posix.unavailableReason()));
        }
        int abi = abi();
        if (abi <= 0) {
            return new Prepared(null, new Outcome.Unavailable("Landlock is not enabled in this kernel (errno " + -abi + ")"));
        }
        long handled = handledRights(abi);
        boolean scoped = abi >= 6;
        boolean tcp = abi >= 4 && rules.tcpConnectPorts().isPresent();
        Memory attr = new Memory(24);
        attr.setLong(0, handled);                                      // handled_access_fs
        attr.setLong(8, tcp ? CONNECT_TCP : 0);                        // handled_access_net: TCP connect, or nothing
        attr.setLong(16, scoped ? SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL : 0);
        long ruleset = libc.syscall(CREATE_RULESET, attr, scoped ? 24 : tcp ? 16 : 8, 0);
        if (ruleset < 0) {
            return new Prepared(null, new Outcome.Failed("landlock_create_ruleset", Native.getLastError()));
        }
        int fd = (int) ruleset;
        List<Path> skipped = new ArrayList<>();
        Outcome failed = null;
        for (Path path : rules.readable()) {
            failed = failed != null ? failed : allow(libc, fd, path, READ_RIGHTS, skipped);
        }
        for (Path path : rules.writable()) {
            failed = failed != null ? failed : allow(libc, fd, path, handled, skipped);
        }
        if (tcp) {
            for (int port : rules.tcpConnectPorts().get()) {
                Memory net = new Memory(16);                          // struct landlock_net_port_attr, packed
                net.setLong(0, CONNECT_TCP);
                net.setLong(8, port);
                if (failed == null && libc.syscall(ADD_RULE, fd, RULE_NET_PORT, net, 0) != 0) {
                    failed = new Outcome.Failed("landlock_add_rule(tcp port " + port + ")", Native.getLastError());
                }
            }
        }
        if (failed != null) {
            libc.close(fd);
            return new Prepared(null, failed);
        }
        return new Prepared(new Ruleset(libc, fd, new Outcome.Restricted(abi, scoped, List.copyOf(skipped), tcp)), null);
    }

    /** Every file-system right of this ABI: a restriction must name them all, or the unnamed ones stay open. */
    static long handledRights(int abi) {
        long rights = (1L << 13) - 1;              // ABI 1: execute .. make_sym
        if (abi >= 2) {
            rights |= 1L << 13;                    // refer (link and rename across directories)
        }
        if (abi >= 3) {
            rights |= TRUNCATE;
        }
        if (abi >= 5) {
            rights |= IOCTL_DEV;
        }
        return rights;
    }

    private static Outcome allow(LibC libc, int ruleset, Path path, long rights, List<Path> skipped) {
        byte[] name = (path.toAbsolutePath().normalize() + "\0").getBytes(StandardCharsets.UTF_8);
        int parent = libc.open(name, O_PATH | O_CLOEXEC);
        if (parent < 0) {
            skipped.add(path);
            return null;
        }
        try {
            Memory beneath = new Memory(12);                          // struct landlock_path_beneath_attr, packed
            beneath.setLong(0, Files.isDirectory(path) ? rights : rights & FILE_RIGHTS);
            beneath.setInt(8, parent);
            if (libc.syscall(ADD_RULE, ruleset, RULE_PATH_BENEATH, beneath, 0) != 0) {
                return new Outcome.Failed("landlock_add_rule(" + path + ")", Native.getLastError());
            }
            return null;
        } finally {
            libc.close(parent);
        }
    }
}
