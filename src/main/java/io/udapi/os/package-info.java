/**
 * Operating-system calls behind script isolation (docs/security.md, "Script isolation"): what
 * the JDK cannot do for a process that runs other people's executables under its own uid.
 *
 * <h2>Purpose</h2>
 * {@link io.udapi.os.ProcessHardening} makes the JVM non-dumpable (its {@code /proc} files are closed to
 * processes of the same uid: environment, memory, file descriptors) and a child subreaper (processes
 * that scripts leave behind are adopted by udapi, not init). {@link io.udapi.os.OrphanReaper} kills and
 * reaps those adopted processes without ever touching a child the JDK waits for.
 * {@link io.udapi.os.Posix} is the thin JNA binding ({@code prctl}, {@code kill}, {@code waitpid} of one
 * pid); {@link io.udapi.os.ProcStat} parses {@code /proc/<pid>/stat} and {@code children}.
 *
 * <h2>Threading model</h2>
 * Everything is thread-safe. Hardening runs once at start-up. Sweeps are serialised by the reaper and
 * block for at most their budget, on the process engine's worker and reaper threads, never an event loop.
 *
 * <h2>Error policy</h2>
 * Nothing here throws for an OS refusal: calls answer {@code errno}, and a setting or a sweep that cannot
 * work (not Linux, no JNA, {@code prctl} refused) is logged once at WARN and udapi runs on without it.
 * Native images bind JNA through the configuration in {@code META-INF/native-image/io.udapi/udapi/}.
 */
package io.udapi.os;
