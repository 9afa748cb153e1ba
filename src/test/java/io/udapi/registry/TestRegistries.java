package io.udapi.registry;

import jakarta.enterprise.event.Event;
import java.lang.reflect.Proxy;

/** Registries outside CDI, for tests of the sync loop. */
public final class TestRegistries {

    private TestRegistries() {
    }

    /** An empty registry whose token-change events go nowhere. */
    @SuppressWarnings("unchecked")
    public static Registry empty() {
        Event<TokenChanged> noEvents = (Event<TokenChanged>) Proxy.newProxyInstance(TestRegistries.class.getClassLoader(),
                new Class<?>[] {Event.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "fire" -> null;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "NoEvents";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return new Registry(noEvents);
    }
}
