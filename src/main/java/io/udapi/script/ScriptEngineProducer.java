package io.udapi.script;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.udapi.config.UdapiConfig;
import io.udapi.os.ProcessHardening;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.interceptor.Interceptor;

/** The script engine chosen by {@code udapi.script-engine}; closed on shutdown. */
public class ScriptEngineProducer {

    @Produces
    @ApplicationScoped
    ScriptEngine engine(UdapiConfig config, Vertx vertx, MeterRegistry meters) {
        ScriptEngine engine = ScriptEngines.create(config, vertx);
        meters.gauge("udapi.script.queue.depth", engine, ScriptEngine::queueDepth);
        return engine;
    }

    /**
     * Before any other start-up work: chooses the faster process launch mechanism (the JVM fixes it at its first
     * process start, and the admin bootstrap's Argon2, JNA, which runs {@code ldconfig -p}, may start one long
     * before the engine bean exists), then hardens the process for script isolation, which binds JNA itself, so it
     * comes second. Non-dumpable whatever the engine: the secrets in udapi's environment and memory concern every
     * process of its uid, not only scripts; the child subreaper only with the process engine, whose reaper adopts
     * what scripts leave behind.
     */
    void preferFastProcessLaunch(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event,
                                 UdapiConfig config) {
        boolean processEngine = config.scriptEngine() == UdapiConfig.EngineKind.process;
        if (processEngine) {
            ScriptEngines.preferFastProcessLaunch();
        }
        ProcessHardening.apply(processEngine);
    }

    void close(@Disposes ScriptEngine engine) {
        engine.close();
    }
}
