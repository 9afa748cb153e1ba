package io.udapi.route;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoutePatternTest {

    private static RouteParse.Invalid rejected(String raw) {
        return assertInstanceOf(RouteParse.Invalid.class, RoutePattern.parse(raw), () -> "expected '" + raw + "' to be rejected");
    }

    private static RoutePattern accepted(String raw) {
        return assertInstanceOf(RouteParse.Valid.class, RoutePattern.parse(raw), () -> "expected '" + raw + "' to be accepted")
                .pattern();
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" is valid")
    @ValueSource(strings = {
            "a",
            "tickets/{id}/status",
            "{id}",
            "{_}",
            "{a1_B2}",
            "Tickets/Open",
            "v1/orders/{orderId}/items/{itemId}",
            "a-b_c.d~e",          // unreserved punctuation is fine
            "caf\u00e9/\u00fcber",  // non-ASCII literals are fine
            "a%41",                // '%' is not forbidden; the literal is compared undecoded
            "x/{a}/{b}/{c}"})
    void parseWhenRouteFollowsAllRulesThenAccepted(String raw) {
        RoutePattern pattern = accepted(raw);
        assertEquals(raw, pattern.template());
        assertEquals(raw, String.join("/", pattern.segments().stream().map(Segment::written).toList()));
    }

    @Test
    void parseWhenPlaceholdersFillSegmentsThenSegmentsAreTyped() {
        RoutePattern pattern = accepted("tickets/{id}/status");
        assertEquals(List.of(new Segment.Literal("tickets"), new Segment.Placeholder("id"), new Segment.Literal("status")),
                pattern.segments());
        assertEquals(List.of("id"), pattern.placeholderNames());
    }

    @Test
    void parseWhenNullThenRequired() {
        RouteParse.Invalid invalid = rejected(null);
        assertEquals(RouteRule.REQUIRED, invalid.rule());
        assertEquals("Invalid route: none given. Rule: a route is required.", invalid.message());
    }

    @ParameterizedTest(name = "[{index}] blank \"{0}\"")
    @ValueSource(strings = {"", " ", "   ", "\t", "\n"})
    void parseWhenBlankThenRejectedAsBlank(String raw) {
        assertEquals(RouteRule.BLANK, rejected(raw).rule());
    }

    @Test
    void parseWhenExactly200CharactersThenAccepted() {
        String raw = "a".repeat(200);
        assertEquals(raw, accepted(raw).template());
    }

    @Test
    void parseWhen200CharactersOverSeveralSegmentsThenAccepted() {
        String raw = "ab/".repeat(66) + "ab"; // 66 * 3 + 2 = 200
        assertEquals(200, raw.length());
        assertEquals(67, accepted(raw).segments().size());
    }

    @Test
    void parseWhen201CharactersThenTooLong() {
        RouteParse.Invalid invalid = rejected("a".repeat(201));
        assertEquals(RouteRule.TOO_LONG, invalid.rule());
        assertTrue(invalid.message().contains("201 characters"), invalid.message());
        assertTrue(invalid.message().contains("at most 200"), invalid.message());
    }

    @Test
    void parseWhenLengthCountsCodePointsThenSupplementaryCharactersCountOnce() {
        // U+1F600 is two UTF-16 units; 200 of them are 400 chars but 200 characters.
        String raw = "\uD83D\uDE00".repeat(200);
        accepted(raw);
        assertEquals(RouteRule.TOO_LONG, rejected(raw + "a").rule());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" contains a forbidden character")
    @ValueSource(strings = {
            "a?b", "a#b", "a*b", "a:b", "a<b", "a>b", "a\\b",
            "a b", "a\tb", "a\nb", "a\rb", "tickets/ {id}", "a\u00a0b", "a\u2003b", "a\u0000b", "a\u007fb",
            "?", "{id}/x:y"})
    void parseWhenForbiddenCharacterThenRejected(String raw) {
        assertEquals(RouteRule.FORBIDDEN_CHARACTER, rejected(raw).rule());
    }

    @Test
    void parseWhenForbiddenCharacterThenMessageNamesValueCharacterAndPosition() {
        assertEquals("Invalid route 'a/b:c': it contains ':' (U+003A) at position 4. "
                        + "Rule: a route contains none of ? # * : < > \\, whitespace or control characters.",
                rejected("a/b:c").message());
    }

    @Test
    void parseWhenTabThenMessageShowsItEscaped() {
        // A raw control character in a message could forge a log line.
        String message = rejected("a\tb").message();
        assertTrue(message.startsWith("Invalid route 'a\\u0009b': it contains U+0009 at position 2."), message);
    }

    @Test
    void parseWhenValueIsLongThenMessageQuotesItShortened() {
        String message = rejected("x".repeat(500)).message();
        assertTrue(message.contains("'" + "x".repeat(60) + "…'"), message);
        assertTrue(message.length() < 200, message);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"/a", "a/", "/a/", "/", "//", "/{id}", "tickets/{id}/"})
    void parseWhenLeadingOrTrailingSlashThenRejected(String raw) {
        assertEquals(RouteRule.EDGE_SLASH, rejected(raw).rule());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"a//b", "a///b", "a/b//{c}"})
    void parseWhenEmptySegmentThenRejected(String raw) {
        assertEquals(RouteRule.EMPTY_SEGMENT, rejected(raw).rule());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"do{x}", "{id}-details", "a/{id}x", "x{id}", "{", "}", "a/{/b", "a}b", "{id", "id}", "}{"})
    void parseWhenPlaceholderIsPartOfSegmentThenRejected(String raw) {
        assertEquals(RouteRule.PARTIAL_PLACEHOLDER, rejected(raw).rule());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"{}", "{1a}", "{a-b}", "{a.b}", "{\u00e9}", "a/{9}", "{{x}}", "{a}b}"})
    void parseWhenPlaceholderNameIsBadThenRejected(String raw) {
        assertEquals(RouteRule.PLACEHOLDER_NAME, rejected(raw).rule());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"{id}/{id}", "a/{x}/b/{x}"})
    void parseWhenPlaceholderNameRepeatsThenRejected(String raw) {
        RouteParse.Invalid invalid = rejected(raw);
        assertEquals(RouteRule.DUPLICATE_PLACEHOLDER, invalid.rule());
    }

    @Test
    void parseWhenPlaceholderNamesDifferOnlyInCaseThenAccepted() {
        // Names are parameter keys, and "id" and "ID" are distinct keys.
        assertEquals(List.of("id", "ID"), accepted("{id}/{ID}").placeholderNames());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" breaks {1} first")
    @CsvSource(delimiter = '|', value = {
            "'/a b'       | FORBIDDEN_CHARACTER", // characters are checked before slashes
            "'/do{x}'     | EDGE_SLASH",
            "'a//do{x}'   | EMPTY_SEGMENT",
            "'do{x}/{1}'  | PARTIAL_PLACEHOLDER",
            "'{1}/{a}/{a}' | PLACEHOLDER_NAME"})
    void parseWhenSeveralRulesAreBrokenThenFirstInCheckOrderIsReported(String raw, RouteRule rule) {
        assertEquals(rule, rejected(raw).rule());
    }

    @Test
    void ofWhenInvalidThenThrowsWithTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoutePattern.of("do{x}"));
        assertEquals(rejected("do{x}").message(), e.getMessage());
    }

    @Test
    void constructorWhenSegmentsDoNotMatchTemplateThenThrows() {
        assertThrows(IllegalArgumentException.class,
                () -> new RoutePattern("a/b", List.of(new Segment.Literal("a"), new Segment.Literal("c"))));
        assertThrows(IllegalArgumentException.class,
                () -> new RoutePattern("a/{b}", List.of(new Segment.Literal("a"), new Segment.Literal("{b}"))));
    }

    @Test
    void constructorWhenTemplateIsInvalidThenThrows() {
        assertThrows(IllegalArgumentException.class, () -> new RoutePattern("a//b", List.of()));
    }

    @Test
    void placeholderWhenNameIsBadThenThrows() {
        assertThrows(IllegalArgumentException.class, () -> new Segment.Placeholder("1a"));
    }

    static Stream<Arguments> conflicting() {
        return Stream.of(
                Arguments.of("ticket/{id}", "TICKET/{ticketId}"),
                Arguments.of("ticket/{id}", "ticket/{id}"),
                Arguments.of("a/B/c", "A/b/C"),
                Arguments.of("{a}/{b}", "{x}/{y}"),
                Arguments.of("\u00e9T\u00e9/{x}", "\u00e9t\u00e9/{y}")); // only the ASCII letters differ
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" conflicts with \"{1}\"")
    @MethodSource("conflicting")
    void conflictKeyWhenRoutesConflictThenEqual(String first, String second) {
        assertEquals(RoutePattern.of(first).conflictKey(), RoutePattern.of(second).conflictKey());
    }

    static Stream<Arguments> compatible() {
        return Stream.of(
                Arguments.of("a/{x}", "{x}/a"),           // placeholder at a different position
                Arguments.of("ticket/{id}", "ticket/{id}/x"), // different segment counts
                Arguments.of("ticket", "ticket/{id}"),
                Arguments.of("ticket/{id}", "ticket/new"),  // literal where the other has a placeholder
                Arguments.of("a/b", "a/c"),
                Arguments.of("a/b/c", "a/bc"),
                // ASCII-only folding (docs/concepts.md, "Routes"): non-ASCII letters are compared exactly
                Arguments.of("\u00c9t\u00e9/{x}", "\u00e9T\u00c9/{y}"),
                Arguments.of("\u212Aey", "key"),          // Kelvin sign, lowercases to k in Java
                Arguments.of("\u017Fet", "set"),          // long s, uppercases to S in Java
                Arguments.of("\u0130d", "id"));          // dotted capital I
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" does not conflict with \"{1}\"")
    @MethodSource("compatible")
    void conflictKeyWhenRoutesDoNotConflictThenDifferent(String first, String second) {
        assertNotEquals(RoutePattern.of(first).conflictKey(), RoutePattern.of(second).conflictKey());
    }

    @Test
    void conflictKeyWhenMixedThenLowercasedLiteralsAndAnonymousPlaceholders() {
        assertAll(
                () -> assertEquals("ticket/{}", RoutePattern.of("Ticket/{id}").conflictKey()),
                () -> assertEquals("{}/a/{}", RoutePattern.of("{x}/A/{y}").conflictKey()));
    }

    @Test
    void conflictKeyWhenDefaultLocaleIsTurkishThenUnchanged() {
        Locale previous = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr"));
            assertEquals("title/{}", RoutePattern.of("TITLE/{x}").conflictKey());
        } finally {
            Locale.setDefault(previous);
        }
    }
}
