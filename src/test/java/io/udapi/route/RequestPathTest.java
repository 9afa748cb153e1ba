package io.udapi.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPathTest {

    @Test
    void ofWhenSlashesRepeatLeadOrTrailThenTheyAreIgnored() {
        RequestPath path = RequestPath.of("//a///b/");
        assertEquals(List.of("a", "b"), path.segments());
        assertEquals("a/b", path.route());
        assertFalse(path.isEmpty());
        assertFalse(path.malformed());
    }

    @Test
    void ofWhenCaseIsMixedThenItIsKept() {
        assertEquals("Tickets/ABC", RequestPath.of("Tickets/ABC").route());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" is empty")
    @ValueSource(strings = {"", "/", "//", "/////"})
    void ofWhenNothingButSlashesThenEmpty(String raw) {
        RequestPath path = RequestPath.of(raw);
        assertTrue(path.isEmpty());
        assertFalse(path.malformed());
        assertEquals("", path.route());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" decodes to {1}")
    @CsvSource(delimiter = '|', value = {
            "%41                | A",
            "%61%62c            | abc",
            "a%20b              | a b",
            "a+b                | a+b",       // '+' is a space only in form encoding, never in a path
            "a%2Bb              | a+b",
            "%25                | %",
            "%2541              | %41",       // decoded once, not twice
            "caf%C3%A9          | caf\u00e9", // multi-byte UTF-8
            "caf%c3%a9          | caf\u00e9", // lowercase hex
            "%E2%82%AC          | \u20ac",
            "%F0%9F%98%80       | \uD83D\uDE00",
            "\u00fc%C3%BC       | \u00fc\u00fc"}) // a raw non-ASCII character next to an escaped one
    void ofWhenSegmentIsPercentEncodedThenDecodedAsUtf8(String raw, String decoded) {
        RequestPath path = RequestPath.of(raw);
        assertEquals(List.of(decoded), path.segments());
        assertFalse(path.malformed());
    }

    @Test
    void ofWhenEncodedSlashThenItStaysInsideOneSegment() {
        RequestPath path = RequestPath.of("a%2Fb/c");
        assertEquals(List.of("a/b", "c"), path.segments());
    }

    @Test
    void ofWhenEncodedSlashOnlyThenOneSegmentNotEmpty() {
        RequestPath path = RequestPath.of("/%2F/");
        assertEquals(List.of("/"), path.segments());
        assertFalse(path.isEmpty());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" is malformed")
    @ValueSource(strings = {
            "%",           // no hex digits
            "a%",
            "a%4",         // one hex digit
            "a%4/b",       // the slash is not a hex digit
            "%zz",
            "%G1",
            "%\uff10\uff10", // fullwidth digits are not hex
            "%FF",         // never valid in UTF-8
            "%C3",         // truncated two-byte sequence
            "%C3%28",      // bad continuation byte
            "%C0%AF",      // overlong encoding of '/'
            "%ED%A0%80",   // encoded surrogate
            "ok/%E2%82"})  // only one segment is bad
    void ofWhenPercentEscapeIsMalformedThenMalformedWithRawSegments(String raw) {
        RequestPath path = RequestPath.of(raw);
        assertTrue(path.malformed());
        assertFalse(path.isEmpty());
        assertEquals(raw, path.route());
    }

    @Test
    void ofWhenMalformedThenAllSegmentsStayUndecoded() {
        // Partly decoded output would mislead whoever reads the log.
        assertEquals(List.of("%41", "%zz"), RequestPath.of("%41/%zz").segments());
    }

    @Test
    void constructorWhenSegmentIsEmptyThenThrows() {
        assertThrows(IllegalArgumentException.class, () -> new RequestPath(List.of("a", ""), false));
    }
}
