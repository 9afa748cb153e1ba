package io.udapi.script;

import io.udapi.config.UdapiConfig;
import io.vertx.core.Vertx;
import java.net.URI;

/** Builds the engine chosen by {@code udapi.script-engine} (for the CDI producer of the application). */
public final class ScriptEngines {
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
     * @throws IllegalStateException when the http engine is chosen without {@code udapi.http-engine.url},
     *                               so a misconfigured instance fails at boot rather than on every trigger
     */
    public static ScriptEngine create(UdapiConfig config, Vertx vertx) {
        UdapiConfig.EngineKind kind = config.scriptEngine();
        ScriptLimits limits = ScriptLimits.fromConfig(config, kind);
        ScriptOutputParser parser = new ScriptOutputParser(ScriptLimits.maxBodyBytes(config));
        return switch (kind) {
            case process -> new ProcessScriptEngine(config.scripts().dir(), limits, parser, workerDefaults(config));
            case http -> new HttpScriptEngine(vertx,
                    URI.create(config.httpEngine().url().orElseThrow(() -> new IllegalStateException(
                            "udapi.script-engine=http needs udapi.http-engine.url"))),
                    config.httpEngine().maxConnections(), limits, parser);
        };
    }
}
