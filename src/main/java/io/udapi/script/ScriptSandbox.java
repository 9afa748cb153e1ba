package io.udapi.script;

import io.udapi.config.UdapiConfig.SandboxMode;
import io.udapi.os.Capabilities;
import io.udapi.os.Landlock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Where the process engine's scripts may touch the file system (docs/security.md, "Script isolation").
 *
 * <p>Every script process is started by a <em>launcher thread</em> of its own, which, before it starts the
 * process, restricts itself with {@link Landlock} to reading beneath {@link #readable} (the system's
 * program and library directories, {@code /etc}, {@code /proc}, {@code /sys} and the scripts directory) and
 * writing beneath {@link #writable} ({@code /tmp}, {@code /dev} and the inherited {@code TMPDIR}). A process
 * inherits its parent thread's restriction for good, across {@code exec}, {@code setsid} and double forks,
 * so a script cannot read udapi's data directory, its pepper file or its configuration files, cannot change
 * the scripts directory, and (Linux 6.12 and later) cannot signal udapi, even though it runs under udapi's
 * uid. The rest of the JVM is not restricted. A launcher thread does nothing after its restriction but
 * start its process and end, so it never needs a file outside the rules (its classes are loaded before).
 *
 * <p>One thread per process, not a pool: each restriction is a Landlock domain of its own, and Landlock lets a
 * process read another's {@code /proc/<pid>/fd} or signal it only within its own domain (or one nested in it).
 * Processes started by one long-lived thread would share a domain, so a script could read the pipes of another
 * script running at the same time (another trigger's input) or write a forged answer into them. Sibling domains
 * keep concurrent scripts apart; a script still reaches what it started itself. The ruleset is built once
 * ({@link Landlock.Ruleset}); a thread and its restriction cost tens of microseconds, against a millisecond
 * or more to start a process. A launcher thread waits for its process to end before it ends.
 *
 * <p>Modes ({@code udapi.scripts.sandbox.mode}): {@code auto} confines where the kernel has Landlock and
 * logs one WARN where it has not; {@code required} refuses to build the engine where it has not;
 * {@code off} does not restrict the launcher threads (and starts scripts from the caller's thread when the
 * {@link ScriptPriority} is udapi's own too). Whatever the mode, the launcher thread gives the script a lower
 * scheduling priority than udapi's ({@link ScriptPriority}).
 *
 * <p>Thread-safe; {@link #start} blocks for as long as the JDK takes to start the process.
 */
public final class ScriptSandbox implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ScriptSandbox.class);

    /** The default {@code udapi.scripts.sandbox.read-paths} (UdapiConfig.Sandbox has the same list). */
    public static final List<Path> DEFAULT_READ = paths("/bin", "/sbin", "/usr", "/lib", "/lib32", "/lib64", "/libx32",
            "/etc", "/proc", "/sys");
    /** The default {@code udapi.scripts.sandbox.write-paths}. */
    public static final List<Path> DEFAULT_WRITE = paths("/tmp", "/dev");

    /** Starts one process; what {@link #start} runs on a launcher thread. */
    @FunctionalInterface
    interface Launch {
        Process start() throws IOException;
    }

    private final SandboxMode mode;
    private final Landlock.Rules rules;
    private final ScriptPriority priority;
    /** Built once; each launcher thread restricts itself to it, in a domain of its own. Null: off, or refused. */
    private final Landlock.Prepared prepared;
    private final Landlock.Outcome outcome;
    private final AtomicInteger launched = new AtomicInteger();
    /** Scripts could hold capabilities (udapi runs as root, or holds some): each launcher drops them all first. */
    private final boolean dropsCapabilities = Capabilities.scriptsCouldHoldSome();
    private volatile boolean closed;

    private ScriptSandbox(SandboxMode mode, Landlock.Rules rules, ScriptPriority priority) {
        this.mode = mode;
        this.rules = rules;
        this.priority = java.util.Objects.requireNonNull(priority, "priority");
        LaunchMechanism.preferVfork(); // before binding JNA, which starts a process and so fixes the mechanism
        if (mode == SandboxMode.off) {
            this.prepared = null;
            this.outcome = new Landlock.Outcome.Unavailable("udapi.scripts.sandbox.mode=off");
            LOG.debug("script processes are not confined (udapi.scripts.sandbox.mode=off): they can read every file "
                    + "udapi can (docs/security.md, \"Script isolation\")");
            return;
        }
        this.prepared = prepare(rules);
        this.outcome = firstOutcome();
        if (outcome instanceof Landlock.Outcome.Restricted restricted
                && rules.tcpConnectPorts().isPresent() && !restricted.tcpRestricted() && mode == SandboxMode.required) {
            close();
            throw new IllegalStateException("udapi.scripts.sandbox.mode=required and tcp-connect-ports are set, but "
                    + "this kernel's Landlock (ABI " + restricted.abi() + ") cannot restrict TCP (ABI 4, Linux 6.7)");
        }
        if (outcome instanceof Landlock.Outcome.Restricted restricted) {
            LOG.infof("script processes are confined (Landlock ABI %d): they may read beneath %s and write beneath "
                            + "%s%s%s", restricted.abi(), rules.readable(), rules.writable(),
                    restricted.scoped() ? "; they cannot signal udapi" : "",
                    restricted.tcpRestricted() ? "; TCP connections only to ports " + rules.tcpConnectPorts().get() : "");
            if (rules.tcpConnectPorts().isPresent() && !restricted.tcpRestricted()) {
                LOG.warnf("udapi.scripts.sandbox.tcp-connect-ports is set, but this kernel's Landlock (ABI %d) cannot "
                        + "restrict TCP (ABI 4, Linux 6.7): scripts may connect anywhere", restricted.abi());
            }
        } else if (mode == SandboxMode.required) {
            close();
            throw new IllegalStateException("udapi.scripts.sandbox.mode=required, but script processes cannot be "
                    + "confined: " + describe(outcome));
        } else {
            LOG.warnf("script processes are not confined (%s): they can read every file udapi can; "
                    + "udapi.scripts.sandbox.mode=required refuses to start instead (docs/security.md, \"Script "
                    + "isolation\")", describe(outcome));
        }
    }

    /**
     * @param scriptsDir readable (and executable) in addition to {@code read}
     * @param read       where scripts may read; missing paths are skipped
     * @param write      where scripts may also write; the inherited {@code TMPDIR} is added
     */
    public static ScriptSandbox of(SandboxMode mode, Path scriptsDir, List<Path> read, List<Path> write) {
        return of(mode, scriptsDir, read, write, java.util.Optional.empty(), ScriptPriority.DEFAULT, true);
    }

    /** @param tcpConnectPorts the only TCP ports scripts may connect to; empty: every port */
    public static ScriptSandbox of(SandboxMode mode, Path scriptsDir, List<Path> read, List<Path> write,
                                   java.util.Optional<java.util.Set<Integer>> tcpConnectPorts) {
        return of(mode, scriptsDir, read, write, tcpConnectPorts, ScriptPriority.DEFAULT, true);
    }

    /** @param priority the nice value and OOM score of script processes ({@link ScriptPriority}) */
    public static ScriptSandbox of(SandboxMode mode, Path scriptsDir, List<Path> read, List<Path> write,
                                   java.util.Optional<java.util.Set<Integer>> tcpConnectPorts, ScriptPriority priority) {
        return of(mode, scriptsDir, read, write, tcpConnectPorts, priority, true);
    }

    /** @param withTmpdir whether the inherited {@code TMPDIR} is writable too (tests choose every path) */
    static ScriptSandbox of(SandboxMode mode, Path scriptsDir, List<Path> read, List<Path> write,
                            java.util.Optional<java.util.Set<Integer>> tcpConnectPorts, ScriptPriority priority,
                            boolean withTmpdir) {
        Set<Path> readable = new LinkedHashSet<>(read);
        readable.add(scriptsDir.toAbsolutePath().normalize());
        Path helper = Path.of(System.getProperty("java.home"), "lib", "jspawnhelper");
        if (Files.isExecutable(helper)) {
            readable.add(helper);      // the JDK's launcher when jdk.lang.Process.launchMechanism is POSIX_SPAWN
        }
        Set<Path> writable = new LinkedHashSet<>(write);
        String tmp = System.getenv("TMPDIR");
        if (withTmpdir && tmp != null && !tmp.isBlank()) {
            writable.add(Path.of(tmp));
        }
        return new ScriptSandbox(mode, new Landlock.Rules(new ArrayList<>(readable), new ArrayList<>(writable), tcpConnectPorts),
                priority);
    }

    /** The default mode ({@code auto}) with the default paths. */
    public static ScriptSandbox standard(Path scriptsDir) {
        return of(SandboxMode.auto, scriptsDir, DEFAULT_READ, DEFAULT_WRITE);
    }

    /** How a launcher thread's restriction goes on this kernel ({@code Unavailable} when the mode is {@code off}). */
    public Landlock.Outcome outcome() {
        return outcome;
    }

    /** Whether script processes are confined. */
    public boolean confines() {
        return outcome instanceof Landlock.Outcome.Restricted;
    }

    /**
     * Of {@code sensitive} (the data directory, secrets files), those a script could still read or write:
     * beneath a path the rules grant, or every one of them when scripts are not confined.
     */
    public List<Path> exposed(List<Path> sensitive) {
        List<Path> granted = new ArrayList<>(rules.readable());
        granted.addAll(rules.writable());
        List<Path> exposed = new ArrayList<>();
        for (Path path : sensitive) {
            Path real = real(path);
            if (!confines() || granted.stream().map(ScriptSandbox::real).anyMatch(real::startsWith)) {
                exposed.add(path);
            }
        }
        return exposed;
    }

    /**
     * Runs {@code launch} on a new launcher thread, confined and at the script's priority, then gives the
     * process its OOM score ({@link ScriptPriority}); on the caller's thread when the mode is off and the
     * priority is udapi's own.
     */
    Process start(Launch launch) throws IOException {
        Process process = launch(launch);
        priority.applyTo(process);
        return process;
    }

    private Process launch(Launch launch) throws IOException {
        if (mode == SandboxMode.off && !priority.lowersLauncher() && !dropsCapabilities) {
            return launch.start();
        }
        if (closed) {
            throw new IOException("the script sandbox is closed");
        }
        CompletableFuture<Process> started = new CompletableFuture<>();
        launcher(() -> {
            try {
                priority.lowerCurrentThread();      // before the restriction: it may load classes
                if (dropsCapabilities) {
                    int dropped = Capabilities.dropAllForChildren();
                    if (dropped != 0) {
                        // a script that held one could read udapi's environment: never start one
                        throw new IOException("cannot keep the capabilities from the script (errno " + -dropped
                                + "); run udapi as a non-root user");
                    }
                }
                if (mode != SandboxMode.off) {
                    Landlock.Outcome own = restrict(prepared);
                    // auto runs scripts unconfined only where the kernel has no Landlock at all, never because
                    // one restriction failed (or the sandbox was closed meanwhile)
                    if (!(own instanceof Landlock.Outcome.Restricted) && (mode == SandboxMode.required || prepared.ruleset() != null)) {
                        throw new IOException("script sandbox not in effect: " + describe(own));
                    }
                }
                Process process = launch.start();
                started.complete(process);
                outlive(process);
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        }).start();
        try {
            return started.get();
        } catch (InterruptedException e) {
            // nobody will own the process: it goes at once
            started.thenAccept(Process::destroyForcibly);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while a script process was being started");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }

    /** No process is started from now on. */
    @Override
    public synchronized void close() {
        if (!closed && prepared != null && prepared.ruleset() != null) {
            prepared.ruleset().close();
        }
        closed = true;
    }

    /**
     * A launcher thread ends only once its process has: Linux lists a child under the thread that forked it
     * ({@code /proc/<pid>/task/<tid>/children}) and hands it to the thread-group leader when that thread ends,
     * where the orphan sweep looks ({@link io.udapi.os.OrphanReaper}). A second copy of udapi in the same JVM
     * (a test's Quarkus application beside plain engines) has a sweep of its own that does not know this
     * process and would take it for an orphan. Waiting costs a parked thread per live script process, beside
     * the JDK's own waiting thread for it.
     */
    private static void outlive(Process process) {
        while (true) {
            try {
                process.waitFor();
                return;
            } catch (InterruptedException e) {
                // nobody interrupts a launcher; if something does, it still waits for its process
            }
        }
    }

    /** A daemon thread that runs {@code task} once; created here, by a thread that is not restricted. */
    private Thread launcher(Runnable task) {
        Thread t = new Thread(task, "udapi-script-launcher-" + launched.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    /** Never throws. */
    private static Landlock.Prepared prepare(Landlock.Rules rules) {
        try {
            return Landlock.prepare(rules);
        } catch (RuntimeException | LinkageError e) {
            LOG.warnf(e, "building the script sandbox's Landlock ruleset failed");
            return new Landlock.Prepared(null, new Landlock.Outcome.Unavailable(e.toString()));
        }
    }

    /** Never throws: a launcher thread must always complete its task's future. */
    private static Landlock.Outcome restrict(Landlock.Prepared prepared) {
        if (prepared.ruleset() == null) {
            return prepared.refusal();
        }
        try {
            return prepared.ruleset().restrictCurrentThread();
        } catch (RuntimeException | LinkageError e) {
            LOG.warnf(e, "restricting a script launcher thread failed");
            return new Landlock.Outcome.Unavailable(e.toString());
        }
    }

    /** How a launcher thread's restriction goes on this kernel, from a first thread that starts nothing. */
    private Landlock.Outcome firstOutcome() {
        CompletableFuture<Landlock.Outcome> probe = new CompletableFuture<>();
        launcher(() -> probe.complete(restrict(prepared))).start();
        try {
            return probe.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Landlock.Outcome.Unavailable("interrupted while the launcher thread restricted itself");
        } catch (ExecutionException e) {
            return new Landlock.Outcome.Unavailable(e.getCause().toString());
        }
    }

    private static String describe(Landlock.Outcome outcome) {
        if (outcome instanceof Landlock.Outcome.Restricted r) {
            return "confined, Landlock ABI " + r.abi();
        }
        if (outcome instanceof Landlock.Outcome.Unavailable u) {
            return u.reason();
        }
        if (outcome instanceof Landlock.Outcome.Failed f) {
            return f.step() + " failed with errno " + f.errno();
        }
        return "the launcher thread did not restrict itself";
    }

    private static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException missing) {
            return absolute;
        }
    }

    private static List<Path> paths(String... names) {
        return java.util.Arrays.stream(names).map(Path::of).toList();
    }
}
