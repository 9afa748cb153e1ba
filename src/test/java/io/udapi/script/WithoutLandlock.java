package io.udapi.script;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * A kernel without Landlock, on one thread of this machine's kernel that has it: a seccomp filter on the
 * calling thread answers {@code ENOSYS} to the three Landlock calls, as a container runtime's seccomp profile
 * that predates them does. Seccomp filters and {@code no_new_privs} belong to the thread that installs them and
 * to the threads and processes it creates afterwards, so the rest of the test JVM is untouched. x86-64 and
 * AArch64 (the Landlock calls have the same numbers on both).
 */
final class WithoutLandlock {
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int PR_SET_SECCOMP = 22;
    private static final int SECCOMP_MODE_FILTER = 2;
    private static final int ENOSYS = 38;

    interface C extends Library {
        int prctl(int option, long arg2, long arg3, long arg4, long arg5);
    }

    private WithoutLandlock() {
    }

    /** Installs the filter on the calling thread; throws when the kernel refuses it. */
    static void onThisThread() {
        C c = Native.load("c", C.class);
        // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; } for:
        //   load the syscall number; below 444 or above 446: allow; else: fail with ENOSYS
        int[][] program = {
                {0x20, 0, 0, 0},                      // BPF_LD | BPF_W | BPF_ABS  seccomp_data.nr
                {0x35, 0, 2, 444},                    // BPF_JMP | BPF_JGE | BPF_K  nr >= 444 ? next : allow
                {0x25, 1, 0, 446},                    // BPF_JMP | BPF_JGT | BPF_K  nr > 446 ? allow : next
                {0x06, 0, 0, 0x0005_0000 | ENOSYS},   // BPF_RET  SECCOMP_RET_ERRNO | ENOSYS
                {0x06, 0, 0, 0x7fff_0000},            // BPF_RET  SECCOMP_RET_ALLOW
        };
        Memory filter = new Memory(8L * program.length);
        for (int i = 0; i < program.length; i++) {
            filter.setShort(8L * i, (short) program[i][0]);
            filter.setByte(8L * i + 2, (byte) program[i][1]);
            filter.setByte(8L * i + 3, (byte) program[i][2]);
            filter.setInt(8L * i + 4, program[i][3]);
        }
        Memory fprog = new Memory(16);                // struct sock_fprog { u16 len; struct sock_filter *filter; }
        fprog.clear();
        fprog.setShort(0, (short) program.length);
        fprog.setPointer(8, filter);
        if (c.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
                || c.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, Pointer.nativeValue(fprog), 0, 0) != 0) {
            throw new IllegalStateException("installing the seccomp filter failed: errno " + Native.getLastError());
        }
    }
}
