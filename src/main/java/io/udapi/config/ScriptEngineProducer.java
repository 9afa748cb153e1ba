package io.udapi.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.udapi.script.ScriptEngine;
import io.udapi.script.ScriptEngines;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** The script engine chosen by {@code udapi.script-engine}; closed on shutdown. */
public class ScriptEngineProducer {

    @Produces
    @ApplicationScoped
    ScriptEngine engine(UdapiConfig config, Vertx vertx, MeterRegistry meters) {
        ScriptEngine engine = ScriptEngines.create(config, vertx);
        meters.gauge("udapi.script.queue.depth", engine, ScriptEngine::queueDepth);
        return engine;
    }

    void close(@Disposes ScriptEngine engine) {
        engine.close();
    }
}
