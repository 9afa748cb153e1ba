package io.udapi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.concurrent.MultithreadEventExecutorGroup;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EventLoopsPerCoreTest {

    @Inject
    Vertx vertx;

    @Test
    void theRunningServiceHasOneEventLoopPerCore() {
        MultithreadEventExecutorGroup loops = (MultithreadEventExecutorGroup) ((VertxInternal) vertx).getEventLoopGroup();
        assertEquals(Runtime.getRuntime().availableProcessors(), loops.executorCount());
    }

    @Test
    void aValueAnOperatorWritesWinsOverTheDefault() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EventLoopsPerCore())
                .withSources(new PropertiesConfigSource(Map.of(EventLoopsPerCore.PROPERTY, "7"), "application.properties", 250))
                .build();
        assertEquals(7, config.getValue(EventLoopsPerCore.PROPERTY, Integer.class));
    }

    @Test
    void withoutAnOperatorValueTheCoresCount() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new EventLoopsPerCore()).build();
        assertEquals(Runtime.getRuntime().availableProcessors(), config.getValue(EventLoopsPerCore.PROPERTY, Integer.class));
        assertEquals(null, new EventLoopsPerCore().getValue("quarkus.http.port"));
    }
}
