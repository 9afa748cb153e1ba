package io.udapi.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing, canonical form and matching of source ranges (docs/tokens.md, "Source ranges"). */
class SourceRangesTest {

    private static SourceRanges of(String... cidrs) {
        return new SourceRanges(List.of(cidrs));
    }

    private static String problemOf(Object... entries) {
        SourceRanges.Parsed parsed = SourceRanges.parse("allowedSourceRanges", java.util.Arrays.asList(entries));
        assertNull(parsed.ranges(), "should be refused: " + java.util.Arrays.toString(entries));
        assertNotNull(parsed.problem());
        return parsed.problem();
    }

    // ---- canonical form ----------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "10.0.0.0/8, 10.0.0.0/8",
            "192.0.2.1, 192.0.2.1/32",                  // a bare address is one host
            "0.0.0.0/0, 0.0.0.0/0",
            "255.255.255.255/32, 255.255.255.255/32",
            "2001:db8::/32, 2001:db8::/32",
            "2001:0DB8:0000:0000::/32, 2001:db8::/32",  // leading zeros and upper case in IPv6 are fine
            "::1, ::1/128",
            "::, ::/128",
            "::/0, ::/0",
            "1:0:0:1:0:0:0:0/128, 1:0:0:1::/128",       // the longer zero run is compressed
            "1:0:0:2:0:0:3:4/128, 1::2:0:0:3:4/128",    // a tie: the first run
            "1:0:2:3:4:5:6:7/128, 1:0:2:3:4:5:6:7/128", // a single zero group stays
            "::102:304/128, ::102:304/128",
            "::1.2.3.4, ::102:304/128",                 // IPv4-compatible (not mapped): plain IPv6
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
            "fe80::/10, fe80::/10",
            "2001:db8:8000::/33, 2001:db8:8000::/33",
    })
    void validBlockIsStoredInCanonicalForm(String given, String canonical) {
        assertEquals(List.of(canonical), of(given).cidrs());
    }

    @Test
    void duplicatesAfterCanonicalisationAreDroppedAndOrderKept() {
        assertEquals(List.of("2001:db8::/32", "10.0.0.0/8"),
                of("2001:DB8::/32", "10.0.0.0/8", "2001:db8:0::/32").cidrs());
    }

    @Test
    void equalityIsThatOfTheCanonicalList() {
        assertEquals(of("2001:DB8::/32"), of("2001:db8::/32"));
        assertEquals(of("2001:DB8::/32").hashCode(), of("2001:db8::/32").hashCode());
    }

    // ---- refusals ----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", " ", "10.0.0.0/8 ", " 10.0.0.0/8", "10.0.0/8", "10.0.0.0.0/8", "256.0.0.0/8",
            "10.0.0.-1", "010.0.0.0/8", "10.00.0.0/16", "1.2.3.04", "0x0a.0.0.0/8", "10.0.0.0/", "10.0.0.0/33",
            "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/08", "10.0.0.0/8/8", "::/129", "2001:db8::/0128", "localhost",
            "example.com", "fe80::1%eth0", "fe80::1%1/128", "[2001:db8::1]", "192.0.2.1:80", "2001:db8:::/32",
            ":2001:db8::/32", "2001:db8::1:/128", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", "12345::",
            "1:2:3:4:5:6:7:8::", "::1.2.3", "::1.2.3.4.5", "::1.2.3.4:5", "1.2.3.4::", "g::", "10.0.0.0\n/8"})
    void malformedEntryIsRefusedNamingItsIndex(String entry) {
        String problem = problemOf("10.0.0.0/8", entry);

        assertTrue(problem.startsWith("allowedSourceRanges[1] "), problem);
    }

    @ParameterizedTest(name = "{0} suggests {1}")
    @CsvSource({"10.1.2.3/8, 10.0.0.0/8", "192.168.1.5/16, 192.168.0.0/16", "2001:db8::1/32, 2001:db8::/32",
            "::1/0, ::/0", "0.0.0.1/0, 0.0.0.0/0", "10.0.0.1/31, 10.0.0.0/31"})
    void hostBitsAfterThePrefixAreRefusedNamingTheNetwork(String entry, String network) {
        String problem = problemOf(entry);

        assertTrue(problem.contains("host bits"), problem);
        assertTrue(problem.contains(network), problem);
    }

    @ParameterizedTest(name = "{0} suggests {1}")
    @CsvSource({"::ffff:10.0.0.0/104, 10.0.0.0/8", "::ffff:192.0.2.1, 192.0.2.1/32", "::ffff:c000:201/128, 192.0.2.1/32",
            "::ffff:0:0/96, 0.0.0.0/0"})
    void ipv4MappedBlockIsRefusedNamingTheIpv4Spelling(String entry, String ipv4) {
        String problem = problemOf(entry);

        assertTrue(problem.contains("IPv4-mapped"), problem);
        assertTrue(problem.endsWith(ipv4), problem);
    }

    @Test
    void emptyListIsRefused() {
        assertTrue(problemOf().contains("empty"));
    }

    @Test
    void moreThanOneHundredEntriesAreRefusedNamingTheFirstOneOver() {
        List<Object> entries = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            entries.add("10.0." + i + ".0/24");
        }
        String problem = problemOf(entries.toArray());

        assertTrue(problem.contains("101 entries"), problem);
        assertTrue(problem.contains("allowedSourceRanges[100]"), problem);
        assertEquals(100, SourceRanges.parse("f", entries.subList(0, 100)).ranges().cidrs().size());
    }

    @Test
    void nonStringEntryIsRefusedNamingItsIndex() {
        assertTrue(problemOf("10.0.0.0/8", 42).startsWith("allowedSourceRanges[1] is 42, not a string"));
        assertTrue(problemOf((Object) null).startsWith("allowedSourceRanges[0] is null"));
    }

    @Test
    void hugeEntryIsQuotedOnlyInPart() {
        String huge = "1".repeat(100_000);

        assertTrue(problemOf(huge).length() < 400);
    }

    @Test
    void constructorRefusesInvalidBlocks() {
        assertThrows(IllegalArgumentException.class, () -> of("10.1.2.3/8"));
        assertThrows(IllegalArgumentException.class, () -> new SourceRanges(List.of()));
    }

    // ---- matching ----------------------------------------------------------------------------

    @Test
    void ipv4BoundariesOfABlock() {
        SourceRanges ranges = of("10.1.0.0/16");

        assertFalse(ranges.allows("10.0.255.255"));
        assertTrue(ranges.allows("10.1.0.0"));
        assertTrue(ranges.allows("10.1.255.255"));
        assertFalse(ranges.allows("10.2.0.0"));
    }

    @Test
    void slashZeroMatchesItsWholeFamilyOnly() {
        assertTrue(of("0.0.0.0/0").allows("0.0.0.0"));
        assertTrue(of("0.0.0.0/0").allows("255.255.255.255"));
        assertFalse(of("0.0.0.0/0").allows("::1"));
        assertTrue(of("::/0").allows("::"));
        assertTrue(of("::/0").allows("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        assertFalse(of("::/0").allows("127.0.0.1"));
        assertFalse(of("::/0").allows("::ffff:127.0.0.1")); // mapped peers are IPv4
    }

    @Test
    void singleHostsMatchOnlyThemselves() {
        SourceRanges ranges = of("192.0.2.1/32", "2001:db8::1");

        assertTrue(ranges.allows("192.0.2.1"));
        assertFalse(ranges.allows("192.0.2.0"));
        assertFalse(ranges.allows("192.0.2.2"));
        assertTrue(ranges.allows("2001:db8::1"));
        assertTrue(ranges.allows("2001:DB8:0:0:0:0:0:1"));
        assertFalse(ranges.allows("2001:db8::"));
        assertFalse(ranges.allows("2001:db8::2"));
    }

    @Test
    void ipv6BoundariesAcrossTheSixtyFourBitHalves() {
        SourceRanges ranges = of("2001:db8:0:1::/64", "2001:db8:0:3:8000::/65");

        assertFalse(ranges.allows("2001:db8:0:0:ffff:ffff:ffff:ffff"));
        assertTrue(ranges.allows("2001:db8:0:1::"));
        assertTrue(ranges.allows("2001:db8:0:1:ffff:ffff:ffff:ffff"));
        assertFalse(ranges.allows("2001:db8:0:2::"));
        assertFalse(ranges.allows("2001:db8:0:3:7fff:ffff:ffff:ffff"));
        assertTrue(ranges.allows("2001:db8:0:3:8000::"));
        assertTrue(ranges.allows("2001:db8:0:3:ffff:ffff:ffff:ffff"));
        assertFalse(ranges.allows("2001:db8:0:4::"));
    }

    @Test
    void topOfTheAddressSpaceIsMatched() {
        assertTrue(of("255.255.255.0/24").allows("255.255.255.255"));
        assertTrue(of("ffff::/16", "fff0::/12").allows("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    }

    @Test
    void ipv4MappedPeerMatchesIpv4Ranges() {
        SourceRanges ranges = of("127.0.0.0/8");

        assertTrue(ranges.allows("::ffff:127.0.0.1"));
        assertTrue(ranges.allows("0:0:0:0:0:FFFF:7F00:1"));
        assertFalse(ranges.allows("::127.0.0.1")); // IPv4-compatible is IPv6, not mapped
    }

    @Test
    void overlappingAndAdjacentBlocksMerge() {
        SourceRanges ranges = of("10.0.0.0/9", "10.128.0.0/9", "10.0.0.0/16", "0.0.0.0/1", "128.0.0.0/1");

        for (String address : List.of("0.0.0.0", "10.0.0.1", "10.200.0.1", "127.255.255.255", "128.0.0.0",
                "255.255.255.255")) {
            assertTrue(ranges.allows(address), address);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "x", "10.0.0", "10.0.0.1 ", "010.0.0.1", "10.0.0.1/32", "[::1]", "::1%lo",
            "localhost", "::1:", "10.0.0.1:80"})
    void malformedAddressIsNeverAllowed(String address) {
        SourceRanges everything = of("0.0.0.0/0", "::/0");

        assertFalse(everything.allows(address));
        assertEquals(SourceRanges.MALFORMED, everything.lookup(address, 0, address.length()));
    }

    @Test
    void lookupReadsOnlyTheGivenSpan() {
        SourceRanges ranges = of("192.0.2.0/24");
        String text = "x, 192.0.2.7, y";

        assertEquals(SourceRanges.MATCH, ranges.lookup(text, 3, 12));
        assertEquals(SourceRanges.NO_MATCH, of("10.0.0.0/8").lookup(text, 3, 12));
    }

    @Test
    void oneHundredScatteredHostsAreEachFound() {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hosts.add("10." + i + "." + (i * 7 % 256) + ".1");
        }
        List<String> shuffled = new ArrayList<>(hosts);
        Collections.shuffle(shuffled, new java.util.Random(1));
        SourceRanges ranges = new SourceRanges(shuffled);

        for (String host : hosts) {
            assertTrue(ranges.allows(host), host);
            assertFalse(ranges.allows(host.substring(0, host.length() - 1) + "2"), host);
        }
    }
}
