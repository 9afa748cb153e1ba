package io.udapi.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/** A real store with one part replaced, for tests that make that part fail on demand (the rest stays real). */
public final class StoreParts {

    private StoreParts() {
    }

    /** {@code delegate} with its part {@code part} (the accessor's name: {@code tokens}, {@code events}, ...) replaced. */
    public static Store replacing(Store delegate, String part, Object replacement) {
        return (Store) Proxy.newProxyInstance(StoreParts.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> method.getName().equals(part) ? replacement : invoke(method, delegate, args));
    }

    /** A {@code type} whose calls go to {@code handler}, which may pass them on with {@link #invoke}. */
    @SuppressWarnings("unchecked")
    public static <T> T proxy(Class<?> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(StoreParts.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    /** Calls {@code method} on {@code target}, throwing what it throws (not a reflection wrapper). */
    public static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
