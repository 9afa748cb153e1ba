package io.udapi.script;

import io.udapi.config.UdapiConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/** Builds the engine chosen by {@code udapi.script-engine} (for the CDI producer of the application). */
public final class ScriptEngines {
    private static final Logger LOG = Logger.getLogger(ScriptEngines.class);

    private ScriptEngines() {
    }

    /**
     * Makes the JVM start processes with {@code VFORK} where that is safe and not chosen otherwise (see
     * {@link LaunchMechanism}); effective only before the JVM's first process start.
     *
     * @return whether the property was set
     */
    public static boolean preferFastProcessLaunch() {
        return LaunchMechanism.preferVfork();
    }

    /** {@code udapi.workers.*}; each {@code <script>.worker} file may override them for its script. */
    static WorkerSettings workerDefaults(UdapiConfig config) {
        UdapiConfig.Workers w = config.workers();
        int max = w.max().orElse(WorkerSettings.defaults().max());
        return new WorkerSettings(Math.min(w.min(), max), max, 1, w.maxRequests());
    }

    /**
     * {@code udapi.scripts.sandbox.*}; logs one WARN per sensitive path a script could still reach: the data
     * directory ({@code udapi.file-store.dir}) and the configuration files Quarkus reads ({@code quarkus.config.locations}).
     */
    static ScriptSandbox sandbox(UdapiConfig config) {
        UdapiConfig.Sandbox s = config.scripts().sandbox();
        UdapiConfig.Priority p = config.scripts().priority();
        ScriptSandbox sandbox = ScriptSandbox.of(s.mode(), config.scripts().dir(), s.readPaths(), s.writePaths(),
                s.tcpConnectPorts().map(java.util.Set::copyOf), new ScriptPriority(p.nice(), p.oomScoreAdj()));
        List<Path> sensitive = new ArrayList<>();
        // whatever the store: it also holds the audit outbox and the copy of the console's files that admins are served
        sensitive.add(config.fileStore().dir());
        sensitive.add(Path.of("config", "application.properties"));
        ConfigProvider.getConfig().getOptionalValues("quarkus.config.locations", String.class).ifPresent(locations -> {
            for (String location : locations) {
                String file = location.startsWith("file:") ? location.substring(5) : location;
                if (!file.contains(":")) {   // a classpath or jar location is not a file a script could open
                    sensitive.add(Path.of(file));
                }
            }
        });
        if (sandbox.confines()) {
            for (Path exposed : sandbox.exposed(sensitive)) {
                LOG.warnf("%s is beneath a path that udapi.scripts.sandbox grants to scripts: scripts can read it", exposed);
            }
        }
        attachWarning(sandbox.outcome(), attachMechanismOn()).ifPresent(LOG::warn);
        return sandbox;
    }

    /**
     * The WARN for a JVM whose attach mechanism is on while scripts can signal it (no Landlock signal scoping,
     * ABI 6): a script could create {@code /tmp/.attach_pid<pid>}, send SIGQUIT and then ask the attach socket
     * for a heap dump holding the pepper and passwords (docs/security.md, "Script isolation"). Empty otherwise.
     */
    static java.util.Optional<String> attachWarning(io.udapi.os.Landlock.Outcome outcome, boolean attachOn) {
        boolean signalsScoped = outcome instanceof io.udapi.os.Landlock.Outcome.Restricted r && r.scoped();
        return attachOn && !signalsScoped
                ? java.util.Optional.of("scripts can signal udapi (" + (outcome instanceof io.udapi.os.Landlock.Outcome.Restricted
                        ? "Landlock before ABI 6" : "no script sandbox") + ") and the JVM's attach mechanism is on: a script "
                        + "could make the JVM open its attach socket and read udapi's memory; start java with "
                        + "-XX:+DisableAttachMechanism (the JVM image does)")
                : java.util.Optional.empty();
    }

    /** Whether this JVM has its attach mechanism (a native image has none). */
    private static boolean attachMechanismOn() {
        try {
            var hotspot = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hotspot != null && !Boolean.parseBoolean(hotspot.getVMOption("DisableAttachMechanism").getValue());
        } catch (RuntimeException | LinkageError e) {
            return false; // not HotSpot: no attach listener to open
        }
    }

    /**
     * @throws IllegalStateException when the http engine is chosen without {@code udapi.http-engine.url},
     *                               so a misconfigured instance fails at boot rather than on every trigger
     */
    public static ScriptEngine create(UdapiConfig config, Vertx vertx) {
        UdapiConfig.EngineKind kind = config.scriptEngine();
        ScriptLimits limits = ScriptLimits.fromConfig(config, kind);
        ScriptOutputParser parser = new ScriptOutputParser(ScriptLimits.maxBodyBytes(config));
        return switch (kind) {
            case process -> new ProcessScriptEngine(config.scripts().dir(), limits, parser, workerDefaults(config),
                    io.udapi.limit.NanoClock.SYSTEM, sandbox(config));
            case http -> new HttpScriptEngine(vertx,
                    URI.create(config.httpEngine().url().orElseThrow(() -> new IllegalStateException(
                            "udapi.script-engine=http needs udapi.http-engine.url"))),
                    config.httpEngine().maxConnections(), limits, parser);
        };
    }
}
