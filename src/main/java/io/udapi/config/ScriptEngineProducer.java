package io.udapi.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.udapi.script.ScriptEngine;
import io.udapi.script.ScriptEngines;
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
     * Chooses the faster process launch mechanism before any other start-up work: the JVM fixes it at its first
     * process start, and the admin bootstrap's Argon2 (JNA, which runs {@code ldconfig -p}) may start one long before
     * the engine bean exists.
     */
    void preferFastProcessLaunch(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event,
                                 UdapiConfig config) {
        if (config.scriptEngine() == UdapiConfig.EngineKind.process) {
            ScriptEngines.preferFastProcessLaunch();
        }
    }

    void close(@Disposes ScriptEngine engine) {
        engine.close();
    }
}
