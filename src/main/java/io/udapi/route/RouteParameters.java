package io.udapi.route;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The placeholder values of one match: an immutable map in route order, backed by the route's
 * placeholder names (shared by every match of that route) and one array of values. {@link RouteTable}
 * builds it once per match and {@link RouteMatch} keeps it without copying (a map from anywhere else is
 * still copied), so a match allocates one small array instead of two {@code LinkedHashMap}s.
 */
final class RouteParameters extends AbstractMap<String, String> {

    static final String[] NO_NAMES = new String[0];

    private final String[] names;
    private final String[] values;
    private Set<Entry<String, String>> entries;

    /** Takes ownership of both arrays; {@code names} must not be changed afterwards (it is shared). */
    RouteParameters(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public boolean isEmpty() {
        return names.length == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public String get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        Set<Entry<String, String>> set = entries;
        if (set == null) {
            entries = set = new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, String>> iterator() {
                    return new Iterator<>() {
                        int next;

                        @Override
                        public boolean hasNext() {
                            return next < names.length;
                        }

                        @Override
                        public Entry<String, String> next() {
                            if (next >= names.length) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new SimpleImmutableEntry<>(names[i], values[i]);
                        }
                    };
                }

                @Override
                public int size() {
                    return names.length;
                }
            };
        }
        return set;
    }

    @Override
    public void forEach(java.util.function.BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < names.length; i++) {
            action.accept(names[i], values[i]);
        }
    }
}
