package io.udapi.script;

import org.jboss.logging.Logger;

/**
 * Makes the JVM start script processes with {@code vfork} instead of its default {@code posix_spawn} through
 * the {@code jspawnhelper} executable, which costs a second {@code exec} per script run. Measured on the
 * benchmark VM (bench/RESULTS.md §6.2): +16–30 % process-engine throughput on JDK 17.
 *
 * <p>The JDK reads {@code jdk.lang.Process.launchMechanism} once, when {@code java.lang.ProcessImpl} is
 * initialised, i.e. at the first process start of the JVM, whoever makes it: JNA (used by Argon2) runs
 * {@code ldconfig -p} when it loads its library, which the admin bootstrap does at start-up. So
 * {@code ScriptEngineProducer} calls this from a {@code StartupEvent} observer that runs before every other one, and
 * {@link ProcessScriptEngine} again (for uses without CDI). Nothing changes when:
 * <ul>
 *   <li>the property is already set (an operator's {@code -Djdk.lang.Process.launchMechanism=...} wins);</li>
 *   <li>the OS is not Linux (the only platform with {@code VFORK});</li>
 *   <li>the JDK is 21 or newer (JDK 25 deprecates {@code VFORK} and prints a warning for it);</li>
 *   <li>this is a native image ({@code org.graalvm.nativeimage.imagecode} is set), which launches processes its
 *       own way.</li>
 * </ul>
 */
final class LaunchMechanism {
    private static final Logger LOG = Logger.getLogger(LaunchMechanism.class);
    static final String PROPERTY = "jdk.lang.Process.launchMechanism";

    private LaunchMechanism() {
    }

    /** Sets {@code jdk.lang.Process.launchMechanism=VFORK} where that is safe and unset; answers whether it did. */
    static boolean preferVfork() {
        if (System.getProperty(PROPERTY) != null
                || System.getProperty("org.graalvm.nativeimage.imagecode") != null
                || !System.getProperty("os.name", "").startsWith("Linux")
                || Runtime.version().feature() >= 21) {
            return false;
        }
        System.setProperty(PROPERTY, "VFORK");
        LOG.debug("script processes are started with VFORK (jdk.lang.Process.launchMechanism)");
        return true;
    }
}
