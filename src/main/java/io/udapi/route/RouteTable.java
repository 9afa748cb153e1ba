package io.udapi.route;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of routes, indexed as one trie per segment count, that maps a request path to
 * the route it triggers. Build it with {@link Builder} and publish it by an atomic swap (a
 * {@code volatile} field or {@code AtomicReference}); readers then match without locks.
 *
 * <p><b>Precedence.</b> A path matches only routes with the same number of segments; literals match
 * ignoring the case of ASCII letters only ({@link Ascii}). Among the routes a path matches, the one whose first differing segment is a literal
 * wins: {@code foo/bar} beats {@code foo/{x}}, which beats {@code {y}/bar}. Since no two routes in a table
 * conflict (see {@link RoutePattern#conflictKey()}), this always picks exactly one.
 *
 * <p><b>Cost.</b> Matching is a depth-first walk that tries the literal child (one hash lookup of the
 * lowercased segment) before the placeholder child and backtracks on a dead end, so it costs
 * O(segments) for typical tables, independent of how many routes there are. Backtracking visits each
 * trie node at most once, which bounds the worst case by the trie of that segment count.
 *
 * @param <V> what a route leads to, such as its definition
 */
public final class RouteTable<V> {

    private static final RouteTable<?> EMPTY = new RouteTable<>(Map.of(), 0);

    /** Segment count to the trie of the routes with that many segments. */
    private final Map<Integer, Node<V>> tries;
    private final int size;

    private RouteTable(Map<Integer, Node<V>> tries, int size) {
        this.tries = tries;
        this.size = size;
    }

    @SuppressWarnings("unchecked") // holds no values, so it serves every V
    public static <V> RouteTable<V> empty() {
        return (RouteTable<V>) EMPTY;
    }

    public static <V> Builder<V> builder() {
        return new Builder<>();
    }

    /** Number of routes. */
    public int size() {
        return size;
    }

    /** The route a request path triggers; empty for an empty or {@linkplain RequestPath#malformed() malformed} path. */
    public Optional<RouteMatch<V>> match(RequestPath path) {
        return path.malformed() ? Optional.empty() : match(path.segments());
    }

    /**
     * The route that decoded request segments trigger.
     *
     * @param segments decoded, non-empty segments, as in {@link RequestPath#segments()}
     */
    public Optional<RouteMatch<V>> match(List<String> segments) {
        Node<V> root = tries.get(segments.size());
        if (root == null) {
            return Optional.empty();
        }
        // Fold once up front (ASCII letters only, as Segment.Literal#matchKey): backtracking may look the
        // same position up in several nodes.
        String[] keys = new String[segments.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = Ascii.toLowerCase(segments.get(i));
        }
        Entry<V> entry = find(root, keys, 0);
        if (entry == null) {
            return Optional.empty();
        }
        int[] positions = entry.placeholderPositions;
        String[] values = positions.length == 0 ? RouteParameters.NO_NAMES : new String[positions.length];
        for (int i = 0; i < positions.length; i++) {
            values[i] = segments.get(positions[i]); // as sent, not lowercased
        }
        return Optional.of(new RouteMatch<>(entry.value, entry.pattern,
                new RouteParameters(entry.placeholderNames, values)));
    }

    private static <V> Entry<V> find(Node<V> node, String[] keys, int depth) {
        if (depth == keys.length) {
            return node.entry; // every node at full depth ends a route, as the trie holds one length only
        }
        Node<V> literal = node.literals.get(keys[depth]);
        if (literal != null) {
            Entry<V> found = find(literal, keys, depth + 1);
            if (found != null) {
                return found;
            }
        }
        return node.placeholder == null ? null : find(node.placeholder, keys, depth + 1);
    }

    /** A route and, computed once when it is added, where its placeholders are and what they are called. */
    private static final class Entry<V> {
        final RoutePattern pattern;
        final V value;
        final String[] placeholderNames;
        final int[] placeholderPositions;

        Entry(RoutePattern pattern, V value) {
            this.pattern = pattern;
            this.value = value;
            List<Segment> segments = pattern.segments();
            int count = 0;
            for (Segment segment : segments) {
                if (segment instanceof Segment.Placeholder) {
                    count++;
                }
            }
            placeholderNames = count == 0 ? RouteParameters.NO_NAMES : new String[count];
            placeholderPositions = new int[count];
            int k = 0;
            for (int i = 0; i < segments.size(); i++) {
                if (segments.get(i) instanceof Segment.Placeholder placeholder) {
                    placeholderNames[k] = placeholder.name();
                    placeholderPositions[k++] = i;
                }
            }
        }
    }

    /** A frozen trie node; placeholders of any name share one child, since names do not affect matching. */
    private static final class Node<V> {
        final Map<String, Node<V>> literals;
        final Node<V> placeholder;
        final Entry<V> entry;

        Node(Map<String, Node<V>> literals, Node<V> placeholder, Entry<V> entry) {
            this.literals = literals;
            this.placeholder = placeholder;
            this.entry = entry;
        }
    }

    /**
     * Collects routes and freezes them into a {@link RouteTable}. <b>Not thread-safe</b>: use one builder
     * from a single thread (the sync or management code building the next snapshot). {@link #build()}
     * copies, so the builder may keep growing afterwards without affecting tables already built.
     */
    public static final class Builder<V> {

        private final Map<Integer, Draft<V>> drafts = new HashMap<>();
        private int size;

        private Builder() {}

        /**
         * Adds a route.
         *
         * @throws RouteConflictException naming both routes when one with the same conflict key is present
         */
        public Builder<V> add(RoutePattern pattern, V value) {
            Optional<RouteConflict<V>> conflict = tryAdd(pattern, value);
            if (conflict.isPresent()) {
                throw new RouteConflictException(conflict.get());
            }
            return this;
        }

        /**
         * Adds a route unless it conflicts with one already added; the table is then unchanged and the
         * conflict, naming both routes and their values, is returned.
         */
        public Optional<RouteConflict<V>> tryAdd(RoutePattern pattern, V value) {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(value, "value");
            Draft<V> node = drafts.computeIfAbsent(pattern.segments().size(), count -> new Draft<>());
            for (Segment segment : pattern.segments()) {
                node = segment instanceof Segment.Literal literal
                        ? node.literals.computeIfAbsent(literal.matchKey(), key -> new Draft<>())
                        : node.placeholder();
            }
            if (node.entry != null) {
                // Conflicting routes walk exactly the same nodes, so the walk above created nothing.
                return Optional.of(new RouteConflict<>(node.entry.pattern, node.entry.value, pattern, value));
            }
            node.entry = new Entry<>(pattern, value);
            size++;
            return Optional.empty();
        }

        public RouteTable<V> build() {
            Map<Integer, Node<V>> tries = new HashMap<>();
            drafts.forEach((count, draft) -> tries.put(count, draft.freeze()));
            return new RouteTable<>(Map.copyOf(tries), size);
        }

        /** A mutable node, only ever touched by the builder's thread. */
        private static final class Draft<V> {
            final Map<String, Draft<V>> literals = new HashMap<>();
            Draft<V> placeholder;
            Entry<V> entry;

            Draft<V> placeholder() {
                if (placeholder == null) {
                    placeholder = new Draft<>();
                }
                return placeholder;
            }

            Node<V> freeze() {
                Map<String, Node<V>> frozen = new HashMap<>(literals.size() * 2);
                literals.forEach((key, child) -> frozen.put(key, child.freeze()));
                return new Node<>(Map.copyOf(frozen), placeholder == null ? null : placeholder.freeze(), entry);
            }
        }
    }
}
