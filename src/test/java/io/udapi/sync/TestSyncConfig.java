package io.udapi.sync;

import io.udapi.config.UdapiConfig;
import java.lang.reflect.Proxy;
import java.time.Duration;

/** A {@link UdapiConfig} with only the sync settings, for constructing {@link Sync} outside CDI. */
final class TestSyncConfig {

    private TestSyncConfig() {
    }

    static UdapiConfig everySecond() {
        UdapiConfig.Sync sync = (UdapiConfig.Sync) Proxy.newProxyInstance(TestSyncConfig.class.getClassLoader(),
                new Class<?>[] {UdapiConfig.Sync.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "interval" -> Duration.ofSeconds(1);
                    case "fullReloadInterval" -> Duration.ofMinutes(10);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (UdapiConfig) Proxy.newProxyInstance(TestSyncConfig.class.getClassLoader(),
                new Class<?>[] {UdapiConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "sync" -> sync;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
