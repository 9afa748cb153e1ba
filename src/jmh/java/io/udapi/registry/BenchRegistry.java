package io.udapi.registry;

import io.udapi.definition.ApiDefinition;
import jakarta.enterprise.event.Event;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark support (src/jmh only): a {@link Registry} built without CDI, holding definitions loaded in one
 * step ({@link Definitions#of}), as {@code Registry.loadFrom} does at start-up.
 */
public final class BenchRegistry {

    private BenchRegistry() {
    }

    /** A registry whose token-change events go nowhere. */
    @SuppressWarnings("unchecked")
    public static Registry create(Collection<ApiDefinition> definitions) {
        Event<TokenChanged> noEvents = (Event<TokenChanged>) Proxy.newProxyInstance(BenchRegistry.class.getClassLoader(),
                new Class<?>[] {Event.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "fire" -> null;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "NoEvents";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Registry registry = new Registry(noEvents);
        try {
            // the field is private; one snapshot of all definitions instead of n rebuilds by putDefinition
            Field field = Registry.class.getDeclaredField("definitions");
            field.setAccessible(true);
            ((AtomicReference<Definitions>) field.get(registry)).set(Definitions.of(definitions));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return registry;
    }
}
