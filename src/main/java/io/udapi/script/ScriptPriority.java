package io.udapi.script;

import io.udapi.os.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * How much of the machine a script process may take from udapi when they compete (docs/security.md, "What a
 * confined script can still do"): {@code udapi.scripts.priority.*}.
 *
 * <p>{@code nice}: the launcher thread lowers its own scheduling priority by that many steps (added to udapi's
 * nice value, at most 19) before it starts the process (Linux
 * keeps a nice value per thread, and a child starts with its parent thread's), so the script and everything it
 * starts run at that nice value from their first instruction, while udapi's event loops keep theirs: a script
 * that spins on every core cannot starve the triggers, the 429s or the health probes. Raising a nice value
 * needs no privilege; nothing a script does lowers it again.
 *
 * <p>{@code oomScoreAdj}: written to {@code /proc/<pid>/oom_score_adj} as soon as the process has started, so
 * that when memory runs out the kernel kills the script rather than the JVM. Children inherit it from then on;
 * a program that forks before the write (usually well under a millisecond, more on a loaded machine) leaves
 * those children at udapi's own value (Linux offers no per-thread setting to inherit race-free, unlike the nice
 * value). Raising it needs no privilege; an unconfined script may lower it again to udapi's value (a confined
 * one cannot write {@code /proc}).
 *
 * @param nice        steps below udapi's priority, 0 (udapi's own) to 19; the default 10 (udapi's Argon2 threads
 *                    run at nice 10 too)
 * @param oomScoreAdj 0 (leave udapi's own) to 1000 (killed first); the default 1000
 */
public record ScriptPriority(int nice, int oomScoreAdj) {
    private static final Logger LOG = Logger.getLogger(ScriptPriority.class);
    /** One WARN per JVM when the kernel refuses either setting; the rest at DEBUG. */
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    public static final ScriptPriority DEFAULT = new ScriptPriority(10, 1000);
    /** Scripts compete with udapi as equals (the behaviour before these settings). */
    public static final ScriptPriority SAME_AS_UDAPI = new ScriptPriority(0, 0);

    public ScriptPriority {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("udapi.scripts.priority.nice must be 0..19 (steps below udapi's priority; "
                    + "a script above udapi's would need privilege): " + nice);
        }
        if (oomScoreAdj < 0 || oomScoreAdj > 1000) {
            throw new IllegalArgumentException("udapi.scripts.priority.oom-score-adj must be 0..1000 (a negative value "
                    + "needs privilege): " + oomScoreAdj);
        }
    }

    /** Whether a launcher thread must lower its own priority (so: one is needed even without the sandbox). */
    boolean lowersLauncher() {
        return nice > 0;
    }

    /** On the launcher thread, before it starts its process; never throws. */
    void lowerCurrentThread() {
        if (nice > 0 && !Posix.lowerCurrentThread(nice)) {
            refused("nice " + nice);
        }
    }

    /** On a thread that is not restricted, right after {@code process} started; never throws. */
    void applyTo(Process process) {
        if (oomScoreAdj == 0) {
            return;
        }
        // opened first, then checked: a /proc file opened while the process was not yet reaped stays its own even
        // if the pid is reused later, while a pid whose process the JDK already reaped may name another process
        // (or one of udapi's own threads, whose ids share the number space)
        try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(
                Path.of("/proc", Long.toString(process.pid()), "oom_score_adj"), java.nio.file.StandardOpenOption.WRITE)) {
            if (!process.isAlive()) {
                return;
            }
            file.write(java.nio.ByteBuffer.wrap(Integer.toString(oomScoreAdj).getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException | UnsupportedOperationException e) {
            // the process may already be gone (a script that exits at once): nothing to protect then
            if (process.isAlive()) {
                refused("oom_score_adj " + oomScoreAdj + " (" + e + ")");
            }
        }
    }

    private static void refused(String what) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warnf("the kernel refused to give script processes %s; they compete with udapi as equals "
                    + "(docs/security.md, \"What a confined script can still do\")", what);
        } else {
            LOG.debugf("the kernel refused to give a script process %s", what);
        }
    }
}
