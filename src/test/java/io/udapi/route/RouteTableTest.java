package io.udapi.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {

    /** A table whose value for each route is its own template, so a match names the route it chose. */
    private static RouteTable<String> table(String... routes) {
        RouteTable.Builder<String> builder = RouteTable.builder();
        for (String route : routes) {
            builder.add(RoutePattern.of(route), route);
        }
        return builder.build();
    }

    private static Optional<String> winner(RouteTable<String> table, String path) {
        return table.match(RequestPath.of(path)).map(RouteMatch::value);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "foo/bar  | foo/bar",   // literal beats placeholder in the second segment
            "foo/baz  | foo/{x}",   // first differing segment is literal 'foo' vs placeholder
            "qux/bar  | {y}/bar",
            "qux/quux | {y}/{z}",
            "FOO/BAR  | foo/bar"})
    void matchWhenSeveralRoutesFitThenTheFirstDifferingLiteralWins(String path, String expected) {
        RouteTable<String> table = table("{y}/{z}", "{y}/bar", "foo/{x}", "foo/bar");
        assertEquals(Optional.of(expected), winner(table, path));
    }

    @Test
    void matchWhenInsertionOrderChangesThenTheWinnerDoesNot() {
        RouteTable<String> table = table("foo/bar", "foo/{x}", "{y}/bar", "{y}/{z}");
        assertEquals(Optional.of("foo/bar"), winner(table, "foo/bar"));
        assertEquals(Optional.of("foo/{x}"), winner(table, "foo/other"));
    }

    @Test
    void matchWhenLiteralBranchDeadEndsThenBacktracksToPlaceholder() {
        RouteTable<String> table = table("a/b/c", "{x}/b/d");
        assertEquals(Optional.of("{x}/b/d"), winner(table, "a/b/d"));
        assertEquals(Optional.of("a/b/c"), winner(table, "a/b/c"));
    }

    @Test
    void matchWhenBacktrackingIsDeepThenFindsTheOnlyFittingRoute() {
        RouteTable<String> table = table("a/b/c/d/e", "a/{p}/c/d/x", "{q}/b/{r}/d/y", "a/b/c/{s}/z");
        assertEquals(Optional.of("{q}/b/{r}/d/y"), winner(table, "a/b/c/d/y"));
        assertEquals(Optional.of("a/b/c/{s}/z"), winner(table, "a/b/c/d/z"));
        assertEquals(Optional.of("a/{p}/c/d/x"), winner(table, "a/b/c/d/x"));
    }

    @Test
    void matchWhenLiteralCaseDiffersThenStillMatches() {
        RouteTable<String> table = table("Tickets/Open");
        assertEquals(Optional.of("Tickets/Open"), winner(table, "tickets/open"));
        assertEquals(Optional.of("Tickets/Open"), winner(table, "TICKETS/OPEN"));
        assertEquals(Optional.of("Tickets/Open"), winner(table, "tIcKeTs/oPeN"));
    }

    /** docs/concepts.md, "Routes": ASCII letters fold, nothing else; Java's Unicode folding would map U+212A to k. */
    @Test
    void matchWhenSegmentFoldsToTheLiteralOnlyOutsideAsciiThenNoMatch() {
        RouteTable<String> table = table("key/set", "caf\u00e9");
        assertEquals(Optional.of("key/set"), winner(table, "KEY/Set"));
        assertEquals(Optional.empty(), winner(table, "\u212Aey/set"));   // Kelvin sign
        assertEquals(Optional.empty(), winner(table, "key/\u017Fet"));   // long s
        assertEquals(Optional.empty(), winner(table, "key/\u017FET"));
        assertEquals(Optional.of("caf\u00e9"), winner(table, "CAF\u00e9"));
        assertEquals(Optional.empty(), winner(table, "CAF\u00c9"));     // non-ASCII letters match exactly
        assertEquals(Optional.empty(), table.match(RequestPath.of("%E2%84%AAey/set")).map(m -> m.pattern().template()));
    }

    @Test
    void matchWhenPlaceholdersFitThenParametersAreDecodedAndInRouteOrder() {
        RouteTable<String> table = table("v1/{zeta}/items/{alpha}/{mid}");
        RouteMatch<String> match = table.match(RequestPath.of("/V1/Caf%C3%A9/items/a%2Fb//X+Y/")).orElseThrow();
        assertEquals(RoutePattern.of("v1/{zeta}/items/{alpha}/{mid}"), match.pattern());
        // Placeholder values keep the case that was sent, unlike literal comparison.
        assertEquals(Map.of("zeta", "Caf\u00e9", "alpha", "a/b", "mid", "X+Y"), match.parameters());
        assertEquals(List.of("zeta", "alpha", "mid"), new ArrayList<>(match.parameters().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> match.parameters().put("x", "y"));
    }

    @Test
    void matchWhenRouteHasNoPlaceholdersThenParametersAreEmpty() {
        assertEquals(Map.of(), table("a/b").match(List.of("a", "b")).orElseThrow().parameters());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" matches nothing")
    @CsvSource({"a", "a/b/c/d", "x/y", "tickets", "tickets/1/status/extra", "''", "///"})
    void matchWhenSegmentCountOrLiteralsDifferThenEmpty(String path) {
        RouteTable<String> table = table("a/b", "tickets/{id}/status", "{x}/{y}/c");
        assertEquals(Optional.empty(), winner(table, path));
    }

    @Test
    void matchWhenPathIsMalformedThenEmptyEvenIfRawTextWouldMatch() {
        RouteTable<String> table = table("{any}", "%zz");
        assertEquals(Optional.empty(), winner(table, "%zz"));
        // Properly encoded, the same text reaches the literal route (which beats the placeholder).
        assertEquals(Optional.of("%zz"), winner(table, "%25zz"));
    }

    @Test
    void matchWhenLiteralIsWrittenPercentEncodedThenComparedWithTheDecodedSegment() {
        RouteTable<String> table = table("a%41");
        assertEquals(Optional.of("a%41"), winner(table, "a%2541"));
        assertEquals(Optional.empty(), winner(table, "aA"));
    }

    @Test
    void matchWhenTableIsEmptyThenEmpty() {
        assertEquals(Optional.empty(), RouteTable.<String>empty().match(RequestPath.of("a")));
        assertEquals(0, RouteTable.empty().size());
    }

    @Test
    void addWhenRouteConflictsThenThrowsNamingBothRoutes() {
        RouteTable.Builder<String> builder = RouteTable.<String>builder().add(RoutePattern.of("ticket/{id}"), "def-1");
        RouteConflictException e = assertThrows(RouteConflictException.class,
                () -> builder.add(RoutePattern.of("TICKET/{ticketId}"), "def-2"));
        assertEquals("Route 'TICKET/{ticketId}' conflicts with route 'ticket/{id}': both are 'ticket/{}' "
                + "once literals ignore case and placeholder names are set aside.", e.getMessage());
        assertEquals(new RouteConflict<>(RoutePattern.of("ticket/{id}"), "def-1", RoutePattern.of("TICKET/{ticketId}"), "def-2"),
                e.conflict());
    }

    @Test
    void tryAddWhenRouteConflictsThenReturnsConflictAndKeepsTheFirstRoute() {
        RouteTable.Builder<String> builder = RouteTable.builder();
        assertEquals(Optional.empty(), builder.tryAdd(RoutePattern.of("a/{x}"), "first"));
        Optional<RouteConflict<String>> conflict = builder.tryAdd(RoutePattern.of("A/{y}"), "second");

        assertEquals("first", conflict.orElseThrow().existingValue());
        assertEquals("second", conflict.orElseThrow().rejectedValue());
        RouteTable<String> table = builder.build();
        assertEquals(1, table.size());
        RouteMatch<String> match = table.match(List.of("a", "1")).orElseThrow();
        assertEquals("first", match.value());
        assertEquals(Map.of("x", "1"), match.parameters());
    }

    @Test
    void tryAddWhenRoutesOnlyOverlapThenBothAreKept() {
        RouteTable.Builder<String> builder = RouteTable.builder();
        for (String route : List.of("a/{x}", "{x}/a", "a/a", "a/{x}/b", "{x}/{y}")) {
            assertEquals(Optional.empty(), builder.tryAdd(RoutePattern.of(route), route), route);
        }
        assertEquals(5, builder.build().size());
    }

    @Test
    void buildWhenBuilderKeepsGrowingThenEarlierSnapshotsAreUnchanged() {
        RouteTable.Builder<String> builder = RouteTable.<String>builder().add(RoutePattern.of("a"), "a");
        RouteTable<String> first = builder.build();
        builder.add(RoutePattern.of("b"), "b");
        RouteTable<String> second = builder.build();

        assertEquals(1, first.size());
        assertEquals(Optional.empty(), winner(first, "b"));
        assertEquals(2, second.size());
        assertEquals(Optional.of("b"), winner(second, "b"));
    }

    @Test
    void matchWhenHundredThousandRoutesThenEachPathFindsItsRoute() {
        // Three shapes share prefixes and segment counts, so precedence and backtracking are exercised at scale:
        //   svc<i%100>/res<i>        two literals
        //   svc<i%100>/res<i>/{id}   literal, literal, placeholder
        //   {tenant}/res<i>/detail   placeholder first: only reached after the literal branch fails
        int count = 100_000;
        RouteTable.Builder<Integer> builder = RouteTable.builder();
        for (int i = 0; i < count; i++) {
            String route = switch (i % 3) {
                case 0 -> "svc" + (i % 100) + "/res" + i;
                case 1 -> "svc" + (i % 100) + "/res" + i + "/{id}";
                default -> "{tenant}/res" + i + "/detail";
            };
            builder.add(RoutePattern.of(route), i);
        }
        RouteTable<Integer> table = builder.build();
        assertEquals(count, table.size());

        for (int i = 0; i < count; i++) {
            String path = switch (i % 3) {
                case 0 -> "SVC" + (i % 100) + "/res" + i;
                case 1 -> "svc" + (i % 100) + "/RES" + i + "/42";
                // The first segment is a literal of another route, whose branch has no 'res<i>' child.
                default -> "svc" + ((i + 1) % 100) + "/res" + i + "/detail";
            };
            RouteMatch<Integer> match = table.match(RequestPath.of(path)).orElseThrow(() -> new AssertionError(path));
            assertEquals(i, match.value(), path);
        }
        assertEquals(Map.of("id", "42"), table.match(List.of("svc1", "res1", "42")).orElseThrow().parameters());
        assertEquals(Map.of("tenant", "acme"), table.match(List.of("acme", "res2", "detail")).orElseThrow().parameters());
        assertTrue(table.match(List.of("svc0", "res1")).isEmpty(), "res1 lives under svc1");
        assertTrue(table.match(List.of("svc0", "res0", "1", "2")).isEmpty(), "no route has four segments");
    }

    @Test
    void routeMatchWhenBuiltFromAMapThenKeepsItsOrderAndIsACopy() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("b", "1");
        parameters.put("a", "2");
        RouteMatch<String> match = new RouteMatch<>("v", RoutePattern.of("{b}/{a}"), parameters);
        parameters.put("c", "3");
        assertEquals(List.of("b", "a"), new ArrayList<>(match.parameters().keySet()));
    }

    @Test
    void emptyWhenCalledTwiceThenSameInstance() {
        assertSame(RouteTable.empty(), RouteTable.empty());
    }

    @Test
    void matchWhenPlaceholdersThenParametersBehaveAsAnOrderedImmutableMap() {
        RouteTable<String> table = RouteTable.<String>builder().add(RoutePattern.of("{b}/x/{a}"), "v").build();
        Map<String, String> parameters = table.match(List.of("2", "X", "1")).orElseThrow().parameters();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("b", "2");
        expected.put("a", "1");
        assertEquals(expected, parameters);
        assertEquals(expected.hashCode(), parameters.hashCode());
        assertEquals(expected.toString(), parameters.toString());
        assertEquals(List.of("b", "a"), new ArrayList<>(parameters.keySet()));
        assertEquals("1", parameters.get("a"));
        assertEquals(null, parameters.get("x"));
        assertThrows(UnsupportedOperationException.class, () -> parameters.put("c", "3"));
        assertThrows(UnsupportedOperationException.class, () -> parameters.entrySet().iterator().next().setValue("9"));
        assertTrue(table.match(List.of("2", "y", "1")).isEmpty());
        RouteTable<String> literal = RouteTable.<String>builder().add(RoutePattern.of("a/b"), "w").build();
        assertTrue(literal.match(List.of("a", "b")).orElseThrow().parameters().isEmpty());
    }
}
