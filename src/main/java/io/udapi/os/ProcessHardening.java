package io.udapi.os;

import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The two process-wide settings that script isolation (docs/scripts.md, "The process engine") rests on, applied once per JVM, at run
 * time, before the first script starts:
 * <ul>
 *   <li><b>Non-dumpable</b> ({@code prctl(PR_SET_DUMPABLE, 0)}). Scripts run under udapi's uid, so the
 *       clean environment they get does not stop them from reading {@code /proc/<udapi>/environ} (the
 *       admin password, the pepper, store credentials), {@code /mem}, {@code /maps} or {@code /fd}. For a
 *       non-dumpable process the kernel makes those files root's and refuses ptrace-mode access to other
 *       processes of the same uid. It also disables core dumps, which would hold the same secrets. The
 *       JVM itself keeps full access to its own {@code /proc/self}. {@code /proc/<pid>/cmdline} stays
 *       world-readable whatever this says: never pass a secret as {@code -D}.</li>
 *   <li><b>Child subreaper</b> ({@code prctl(PR_SET_CHILD_SUBREAPER, 1)}). A process whose parent exits
 *       is adopted by its nearest subreaper ancestor instead of init, so whatever a script leaves
 *       behind (double fork, {@code setsid}) becomes udapi's child, where {@link OrphanReaper} kills and
 *       reaps it. When udapi is PID 1 of a container it adopts orphans anyway; the setting is harmless.</li>
 * </ul>
 * Neither is inherited by scripts: {@code execve} makes a normal program dumpable again, and the
 * subreaper attribute is not passed on by {@code fork}.
 *
 * <p>On another OS, without JNA, or when {@code prctl} fails, udapi logs one WARN line naming what is
 * missing and runs on without it. Thread-safe (synchronized; called at start-up).
 */
public final class ProcessHardening {
    private static final Logger LOG = Logger.getLogger(ProcessHardening.class);

    /** What is in effect; a setting not asked for yet is false. */
    public record State(boolean nonDumpable, boolean childSubreaper) {
    }

    private static Boolean nonDumpable;
    private static Boolean childSubreaper;

    private ProcessHardening() {
    }

    /**
     * Makes the JVM non-dumpable and, when {@code subreaper}, a child subreaper; a setting already tried
     * is not tried again. Logs one WARN line when a setting tried now failed.
     */
    public static synchronized State apply(boolean subreaper) {
        List<String> failures = new ArrayList<>();
        if (nonDumpable == null) {
            nonDumpable = set(Posix.PR_SET_DUMPABLE, 0, "PR_SET_DUMPABLE", failures);
        }
        if (subreaper && childSubreaper == null) {
            childSubreaper = set(Posix.PR_SET_CHILD_SUBREAPER, 1, "PR_SET_CHILD_SUBREAPER", failures);
        }
        if (!failures.isEmpty()) {
            LOG.warnf("script isolation is incomplete (%s): %s", String.join("; ", failures), consequences());
        }
        return state();
    }

    /** The settings in effect. */
    public static synchronized State state() {
        return new State(Boolean.TRUE.equals(nonDumpable), Boolean.TRUE.equals(childSubreaper));
    }

    /** Asks the kernel, for tests and diagnostics: whether this process is dumpable now. */
    public static boolean kernelSaysDumpable() {
        return Posix.prctl(Posix.PR_GET_DUMPABLE, 0) != 0;
    }

    private static boolean set(int option, long value, String name, List<String> failures) {
        int r = Posix.prctl(option, value);
        if (r >= 0) {
            return true;
        }
        failures.add(Posix.available() ? "prctl(" + name + ") failed with errno " + -r
                : name + " unavailable: " + Posix.unavailableReason());
        return false;
    }

    private static String consequences() {
        StringBuilder s = new StringBuilder();
        if (!Boolean.TRUE.equals(nonDumpable)) {
            s.append("scripts running as udapi's user can read its environment and memory through /proc");
        }
        if (childSubreaper != null && !childSubreaper) {
            s.append(s.length() == 0 ? "" : ", and ")
                    .append("processes scripts leave behind escape to init instead of being killed");
        }
        return s.toString();
    }
}
