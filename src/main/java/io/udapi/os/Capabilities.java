package io.udapi.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps Linux capabilities from scripts (docs/security.md, "Script isolation"). A script of a root udapi would
 * otherwise hold all of root's: {@code CAP_SYS_PTRACE}, {@code CAP_SYS_ADMIN} and {@code CAP_PERFMON} each read
 * udapi's {@code /proc} entries ({@code environ}: the admin password and the pepper when they come from the
 * environment) whatever the non-dumpable flag says (measured on Linux 6.18), and a root script passed Landlock's
 * ptrace scope too;
 * others load kernel modules or read kernel memory. Scripts need none of them but {@link #KEPT}. Linux keeps
 * capability sets per thread, and a program that a thread starts gets its permitted set from that thread's bounding
 * and inheritable sets (for root: the union of the two). So the launcher thread of a script empties its inheritable
 * set and its bounding set but for {@link #KEPT} before it starts the process: the script and everything it starts
 * hold nothing else, root or not, and no process can add a capability back to its bounding set, while udapi's
 * other threads keep what they had.
 *
 * <p>Every method answers instead of throwing, as {@link Posix} does.
 */
public final class Capabilities {

    static final int CAP_SETGID = 6;
    static final int CAP_SETUID = 7;
    /**
     * What a script keeps: changing its own user and groups, so that a script can still drop to another user
     * ({@code setpriv}, {@code su}). They give no way back to the capabilities it lacks: no set can outgrow the
     * bounding set, and a uid change only takes capabilities away.
     */
    static final long KEPT = (1L << CAP_SETGID) | (1L << CAP_SETUID);
    static final int PR_CAPBSET_READ = 23;
    static final int PR_CAPBSET_DROP = 24;
    /** {@code _LINUX_CAPABILITY_VERSION_3}: two 32-bit words per set. */
    static final int VERSION_3 = 0x20080522;
    /** The highest capability of kernels without {@code /proc/sys/kernel/cap_last_cap} (Linux 3.2+ have it). */
    static final int LAST_CAP_FALLBACK = 40;

    private Capabilities() {
    }

    /**
     * Whether a program this process starts could hold a capability: it runs as root (whose programs get the
     * bounding set), or it holds some in its permitted, inheritable or ambient set ({@code /proc/self/status}).
     */
    public static boolean scriptsCouldHoldSome() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:") && line.substring(4).trim().split("\\s+")[1].equals("0")) {
                    return true; // the effective uid
                }
                if ((line.startsWith("CapPrm:") || line.startsWith("CapInh:") || line.startsWith("CapAmb:"))
                        && Long.parseUnsignedLong(line.substring(7).trim(), 16) != 0) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // no /proc: nothing here can hold a Linux capability
        }
        return false;
    }

    /**
     * Empties the calling thread's inheritable set (the ambient set goes with it) and its bounding set but for
     * {@link #KEPT}, so that no program this thread starts holds another capability. Answers {@code 0}, or {@code -errno} of the call that
     * failed (a root without {@code CAP_SETPCAP} cannot shrink its bounding set).
     */
    public static int dropAllForChildren() {
        LibC libc = Posix.libc();
        if (libc == null) {
            return -Posix.ENOSYS;
        }
        int last = lastCap();
        for (int cap = 0; cap <= last; cap++) {
            if ((KEPT & (1L << cap)) == 0 && Posix.prctl(PR_CAPBSET_READ, cap) == 1) {
                int dropped = Posix.prctl(PR_CAPBSET_DROP, cap);
                if (dropped < 0) {
                    return dropped;
                }
            }
        }
        Memory header = new Memory(8);
        header.setInt(0, VERSION_3);
        header.setInt(4, 0); // the calling thread
        // {effective, permitted, inheritable} of capabilities 0..31, then the same of 32..63
        Memory sets = new Memory(24);
        if (libc.capget(header, sets) != 0) {
            return -Native.getLastError();
        }
        if (sets.getInt(8) != 0 || sets.getInt(20) != 0) {
            sets.setInt(8, 0);
            sets.setInt(20, 0);
            if (libc.capset(header, sets) != 0) {
                return -Native.getLastError();
            }
        }
        return 0;
    }

    private static int lastCap() {
        try {
            // readAllLines, not readString: the JDK reads a sysctl file by its reported size and got "4" of "40"
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/cap_last_cap")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return LAST_CAP_FALLBACK;
        }
    }
}
