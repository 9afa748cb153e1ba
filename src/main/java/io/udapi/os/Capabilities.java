package io.udapi.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps from scripts the capabilities that read another process's {@code /proc} entries (docs/security.md,
 * "Script isolation"). With any of {@code CAP_SYS_PTRACE}, {@code CAP_SYS_ADMIN} or {@code CAP_PERFMON} (each
 * measured to be enough on Linux 6.18), a process reads udapi's {@code environ} (the admin password and the pepper
 * when they come from the environment) and {@code fd} whatever the non-dumpable flag says, and passes Landlock's
 * ptrace scope too; root holds all three. Linux keeps capability sets per thread, and a program that a thread
 * starts gets its permitted set from that thread's bounding and inheritable sets (for root: the union of the two).
 * So the launcher thread of a script drops them from both before it starts the process: the script and everything
 * it starts never hold them, and no process can add a capability back to its bounding set, while udapi's other
 * threads keep what they had.
 *
 * <p>Every method answers instead of throwing, as {@link Posix} does.
 */
public final class Capabilities {

    static final int CAP_SYS_PTRACE = 19;
    static final int CAP_SYS_ADMIN = 21;
    static final int CAP_PERFMON = 38;
    /** What scripts never hold. */
    static final List<Integer> KEPT_FROM_SCRIPTS = List.of(CAP_SYS_PTRACE, CAP_SYS_ADMIN, CAP_PERFMON);
    static final int PR_CAPBSET_READ = 23;
    static final int PR_CAPBSET_DROP = 24;
    /** {@code _LINUX_CAPABILITY_VERSION_3}: two 32-bit words per set. */
    static final int VERSION_3 = 0x20080522;
    static final int EPERM = 1;

    private Capabilities() {
    }

    /** Whether this process holds one of them in its effective set ({@code CapEff} of /proc/self/status). */
    public static boolean processHoldsOneKeptFromScripts() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long effective = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return KEPT_FROM_SCRIPTS.stream().anyMatch(cap -> (effective & (1L << cap)) != 0);
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // no /proc: nothing here can hold a Linux capability
        }
        return false;
    }

    /**
     * Removes them from the calling thread's bounding and inheritable sets, so that no program this thread starts
     * can hold them. Answers {@code 0} when no such program can (also when the thread never had them to give), or
     * {@code -errno} of the call that failed.
     */
    public static int dropForChildren() {
        LibC libc = Posix.libc();
        if (libc == null) {
            return -Posix.ENOSYS;
        }
        Memory header = new Memory(8);
        header.setInt(0, VERSION_3);
        header.setInt(4, 0); // the calling thread
        // {effective, permitted, inheritable} of capabilities 0..31, then the same of 32..63
        Memory sets = new Memory(24);
        if (libc.capget(header, sets) != 0) {
            return -Native.getLastError();
        }
        boolean inheritableChanged = false;
        for (int cap : KEPT_FROM_SCRIPTS) {
            long word = cap / 32 * 12L;
            int bit = 1 << (cap % 32);
            boolean held = ((sets.getInt(word) | sets.getInt(word + 4) | sets.getInt(word + 8)) & bit) != 0;
            if (Posix.prctl(PR_CAPBSET_READ, cap) == 1) {
                int dropped = Posix.prctl(PR_CAPBSET_DROP, cap);
                // without CAP_SETPCAP (not root) the bound stays, but a thread that holds nothing gives nothing: a
                // confined script starts under no_new_privs, so no file capability adds it either
                if (dropped < 0 && (held || dropped != -EPERM)) {
                    return dropped;
                }
            }
            if ((sets.getInt(word + 8) & bit) != 0) {
                sets.setInt(word + 8, sets.getInt(word + 8) & ~bit);
                inheritableChanged = true;
            }
        }
        if (inheritableChanged && libc.capset(header, sets) != 0) {
            return -Native.getLastError();
        }
        return 0;
    }
}
