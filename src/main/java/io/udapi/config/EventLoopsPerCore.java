package io.udapi.config;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Default of {@code quarkus.vertx.event-loops-pool-size}: one event loop per available core, instead of Vert.x's two.
 * Nothing on udapi's event loops blocks (scripts run on their own threads or through the async http engine), so a
 * second loop per core only makes two threads take turns on it: on one core the admitted trigger cost 31 µs of CPU
 * with one loop against 53 µs with two (1.69 × the throughput), and p99 fell on every path (bench/RESULTS.md, §10
 * "One event loop per core"). The value is read when asked, at run time, so a native image counts the cores it runs
 * on, not those of the build machine. Any other source (application.properties, an environment variable, a system
 * property) overrides it.
 */
public final class EventLoopsPerCore implements ConfigSource {

    static final String PROPERTY = "quarkus.vertx.event-loops-pool-size";
    /** Above the extensions' built-in defaults, below every source an operator writes. */
    private static final int ORDINAL = 50;

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(PROPERTY);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(PROPERTY, getValue(PROPERTY));
    }

    @Override
    public String getValue(String name) {
        return PROPERTY.equals(name) ? Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors())) : null;
    }

    @Override
    public String getName() {
        return "udapi: one event loop per core";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
