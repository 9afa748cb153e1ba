package io.udapi.os;

import com.sun.jna.Native;

/**
 * The few POSIX calls the JDK does not offer ({@code prctl}, {@code kill} and {@code waitpid} of an
 * arbitrary pid), through JNA. Every method answers instead of throwing: {@code 0} or the {@code errno}
 * value, so that callers decide what a failure means. When the library cannot be bound (not Linux, no
 * JNA native part for this platform) {@link #available()} is false and every call answers
 * {@link #ENOSYS}.
 *
 * <p>Loading is lazy (first call, at run time): binding JNA runs {@code ldconfig -p} once, which fixes the
 * JVM's process launch mechanism, so callers set that first (see {@code io.udapi.script.LaunchMechanism}).
 * Thread-safe: the binding is immutable and {@code errno} is per thread.
 */
public final class Posix {

    static final int PR_GET_DUMPABLE = 3;
    static final int PR_SET_DUMPABLE = 4;
    static final int PR_SET_CHILD_SUBREAPER = 36;
    static final int PR_GET_CHILD_SUBREAPER = 37;
    public static final int SIGKILL = 9;
    static final int WNOHANG = 1;
    public static final int ESRCH = 3;
    static final int EINTR = 4;
    public static final int ECHILD = 10;
    /** Answered by every call when the library is not bound. */
    public static final int ENOSYS = 38;

    private Posix() {
    }

    /** Bound on first use; the reason stays readable for the one warning udapi logs. */
    private static final class Binding {
        static final LibC LIBC;
        static final String FAILURE;

        static {
            LibC libc = null;
            String failure = null;
            if (!System.getProperty("os.name", "").startsWith("Linux")) {
                failure = "not Linux (" + System.getProperty("os.name") + ")";
            } else {
                try {
                    libc = Native.load(LibC.class);
                } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError: no usable JNA here
                    failure = t.toString();
                }
            }
            LIBC = libc;
            FAILURE = failure;
        }
    }

    /** Whether the calls reach the OS (Linux with a loadable JNA). */
    public static boolean available() {
        return Binding.LIBC != null;
    }

    /** The binding, for the other calls of this package; null when {@link #available()} is false. */
    static LibC libc() {
        return Binding.LIBC;
    }

    /** Why {@link #available()} is false; null when it is true. */
    public static String unavailableReason() {
        return Binding.FAILURE;
    }

    /** {@code prctl(option, arg)}: its non-negative result, or {@code -errno}. */
    static int prctl(int option, long arg) {
        if (!available()) {
            return -ENOSYS;
        }
        int r = Binding.LIBC.prctl(option, arg, 0, 0, 0);
        return r < 0 ? -Native.getLastError() : r;
    }

    /** {@code kill(pid, signal)}: {@code 0} or the {@code errno} ({@link #ESRCH}: no such process). */
    public static int kill(long pid, int signal) {
        if (pid <= 1) {
            // 0, -1 and negative values address groups or everything; 1 is init: never a target
            throw new IllegalArgumentException("refusing kill(" + pid + ")");
        }
        if (!available()) {
            return ENOSYS;
        }
        return Binding.LIBC.kill(Math.toIntExact(pid), signal) == 0 ? 0 : Native.getLastError();
    }

    /**
     * {@code waitpid(pid, WNOHANG)}: reaps {@code pid} if it is a terminated child. Answers {@code pid}
     * when it was reaped, {@code 0} while it still runs, {@code -errno} otherwise ({@code -ECHILD}: not a
     * child of this process, or already reaped).
     */
    public static long reapIfExited(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("refusing waitpid(" + pid + ")"); // would reap any child
        }
        if (!available()) {
            return -ENOSYS;
        }
        int[] status = new int[1];
        while (true) {
            int r = Binding.LIBC.waitpid(Math.toIntExact(pid), status, WNOHANG);
            if (r >= 0) {
                return r;
            }
            int errno = Native.getLastError();
            if (errno != EINTR) {
                return -errno;
            }
        }
    }

    /**
     * Lowers the scheduling priority of the calling thread to {@code nice} (Linux keeps a nice value per
     * thread; raising it needs no privilege). Answers whether it took effect.
     */
    public static boolean niceCurrentThread(int nice) {
        if (!available()) {
            return false;
        }
        return Binding.LIBC.setpriority(0 /* PRIO_PROCESS, with a thread id: that thread */, Binding.LIBC.gettid(), nice) == 0;
    }

    /**
     * Adds {@code steps} to the calling thread's nice value, at most to 19 (lower priority; no privilege
     * needed). Answers whether it took effect.
     */
    public static boolean lowerCurrentThread(int steps) {
        if (!available()) {
            return false;
        }
        // glibc answers the nice value itself (-20..19); -1 is also its error value, but for the calling
        // thread's own id the call cannot fail
        int current = Binding.LIBC.getpriority(0, Binding.LIBC.gettid());
        return niceCurrentThread(Math.min(19, current + steps));
    }
}
