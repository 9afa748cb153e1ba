package io.udapi.os;

import com.sun.jna.Library;

/**
 * The C library functions udapi calls, mapped by JNA onto the running process's own symbols (no library
 * name to resolve). Linux signatures; {@code prctl} is variadic in C and called with all five words, which
 * is what the x86-64 and AArch64 calling conventions pass for integer arguments anyway.
 *
 * <p>{@code syscall} is variadic in C too and declared once per argument count, each with the words the
 * call passes; on x86-64 and AArch64 Linux, as for {@code prctl}, that is how a variadic call passes them.
 *
 * <p>A native image needs this interface in {@code proxy-config.json} (JNA implements it with a dynamic
 * proxy): see {@code META-INF/native-image/io.udapi/udapi/}.
 */
interface LibC extends Library {

    int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    int kill(int pid, int signal);

    int waitpid(int pid, int[] status, int options);

    int gettid();

    int setpriority(int which, int who, int prio);

    int getpriority(int which, int who);

    /** {@code open(2)}; the path NUL-terminated, as the kernel reads it (no charset guess). */
    int open(byte[] path, int flags);

    int close(int fd);

    /** {@code capget(2)}: the calling thread's capability sets (header: version, pid 0). */
    int capget(com.sun.jna.Pointer header, com.sun.jna.Pointer data);

    /** {@code capset(2)}: sets the calling thread's capability sets. */
    int capset(com.sun.jna.Pointer header, com.sun.jna.Pointer data);

    /** {@code syscall(2)} with three words: {@code landlock_create_ruleset(attr, size, flags)}. */
    long syscall(long number, com.sun.jna.Pointer attr, long size, int flags);

    /** {@code syscall(2)} with four words: {@code landlock_add_rule(ruleset, type, attr, flags)}. */
    long syscall(long number, int ruleset, int type, com.sun.jna.Pointer attr, int flags);

    /** {@code syscall(2)} with two words: {@code landlock_restrict_self(ruleset, flags)}. */
    long syscall(long number, int ruleset, int flags);
}
