package io.udapi.bench;

import io.udapi.route.RequestPath;
import io.udapi.route.RouteMatch;
import io.udapi.route.RoutePattern;
import io.udapi.route.RouteTable;
import io.udapi.route.Segment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Route matching of an already split request path against {@code definitions} routes: udapi's
 * {@link RouteTable} (trie per segment count) against a linear scan with the same precedence rule and the
 * same result ({@link RouteMatch} with its parameter map). Routes have four shapes ({@link Fixtures#route});
 * 1,024 request paths drawn over all routes are cycled.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class RouteBench {

    @Param({"10", "1000", "100000"})
    int definitions;

    RouteTable<String> table;
    LinearRoutes linear;
    List<List<String>> paths;
    int next;

    @Setup
    public void setUp() {
        RouteTable.Builder<String> builder = RouteTable.builder();
        List<RoutePattern> patterns = new ArrayList<>(definitions);
        for (int i = 0; i < definitions; i++) {
            RoutePattern pattern = RoutePattern.of(Fixtures.route(i));
            builder.add(pattern, "def-" + i);
            patterns.add(pattern);
        }
        table = builder.build();
        linear = new LinearRoutes(patterns);
        paths = new ArrayList<>();
        for (String raw : Fixtures.requestPaths(definitions, 42)) {
            List<String> segments = RequestPath.of(raw).segments();
            paths.add(segments);
            // both must find the same route, or the comparison means nothing
            String viaTrie = table.match(segments).orElseThrow().value();
            String viaScan = linear.match(segments).orElseThrow().value();
            if (!viaTrie.equals(viaScan)) {
                throw new IllegalStateException(raw + ": trie " + viaTrie + " vs scan " + viaScan);
            }
        }
    }

    private List<String> path() {
        int i = next;
        next = (i + 1) & (Fixtures.PATHS - 1);
        return paths.get(i);
    }

    @Benchmark
    public Optional<RouteMatch<String>> udapiTrie() {
        return table.match(path());
    }

    @Benchmark
    public Optional<RouteMatch<String>> baselineLinearScan() {
        return linear.match(path());
    }

    /** The baseline: every route of the same length is compared; the most literal match wins (docs/concepts.md, "Routes"). */
    static final class LinearRoutes {
        private final RoutePattern[] patterns;
        private final String[] values;
        /** Per route, lowercased literals, null at a placeholder. */
        private final String[][] literals;

        LinearRoutes(List<RoutePattern> all) {
            patterns = all.toArray(RoutePattern[]::new);
            values = new String[patterns.length];
            literals = new String[patterns.length][];
            for (int r = 0; r < patterns.length; r++) {
                values[r] = "def-" + r;
                List<Segment> segments = patterns[r].segments();
                literals[r] = new String[segments.size()];
                for (int s = 0; s < segments.size(); s++) {
                    literals[r][s] = segments.get(s) instanceof Segment.Literal literal ? literal.matchKey() : null;
                }
            }
        }

        Optional<RouteMatch<String>> match(List<String> segments) {
            int n = segments.size();
            String[] keys = new String[n];
            for (int i = 0; i < n; i++) {
                keys[i] = segments.get(i).toLowerCase(Locale.ROOT);
            }
            int best = -1;
            for (int r = 0; r < literals.length; r++) {
                String[] route = literals[r];
                if (route.length != n) {
                    continue;
                }
                boolean matches = true;
                for (int s = 0; s < n && matches; s++) {
                    matches = route[s] == null || route[s].equals(keys[s]);
                }
                if (matches && (best < 0 || moreLiteral(route, literals[best]))) {
                    best = r;
                }
            }
            if (best < 0) {
                return Optional.empty();
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            List<Segment> pattern = patterns[best].segments();
            for (int i = 0; i < n; i++) {
                if (pattern.get(i) instanceof Segment.Placeholder placeholder) {
                    parameters.put(placeholder.name(), segments.get(i));
                }
            }
            return Optional.of(new RouteMatch<>(values[best], patterns[best], parameters));
        }

        /** The first segment where they differ is a literal in {@code a}. */
        private static boolean moreLiteral(String[] a, String[] b) {
            for (int s = 0; s < a.length; s++) {
                if ((a[s] == null) != (b[s] == null)) {
                    return a[s] != null;
                }
            }
            return false;
        }
    }
}
