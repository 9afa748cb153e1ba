package io.udapi.os;

import com.sun.jna.Library;

/**
 * The C library functions udapi calls, mapped by JNA onto the running process's own symbols (no library
 * name to resolve). Linux signatures; {@code prctl} is variadic in C and called with all five words, which
 * is what the x86-64 and AArch64 calling conventions pass for integer arguments anyway.
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
}
