package io.udapi.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The X-Forwarded-For walk behind trusted proxies (docs/tokens.md, "The source address and trusted proxies"). */
class SourceAddressTest {

    private static final String PEER = "127.0.0.1";
    private final SourceAddress sources = new SourceAddress(SourceAddress.trustedProxies(List.of("127.0.0.1/32", "10.0.0.0/8", "fd00::/8")));

    private String source(String... headers) {
        return sources.forwarded(PEER, List.of(headers));
    }

    @Test
    void rightMostUntrustedEntryIsTheSource() {
        assertEquals("192.0.2.7", source("198.51.100.1, 192.0.2.7, 10.0.0.5"));
        assertEquals("192.0.2.7", source("192.0.2.7"));
    }

    @Test
    void spoofedEntriesLeftOfTheClientAreNeverRead() {
        assertEquals("192.0.2.7", source("garbage, unknown, 10.0.0.9, 192.0.2.7"));
    }

    @Test
    void malformedEntryWrittenByTrustedProxiesMeansThePeer() {
        assertEquals(PEER, source("192.0.2.7, unknown"));
        assertEquals(PEER, source("192.0.2.7,"));
        assertEquals(PEER, source(""));
        assertEquals(PEER, source("192.0.2.7, 10.0.0.5, 010.0.0.1"));
        assertEquals(PEER, source("fe80::1%eth0"));
        assertEquals(PEER, source("example.com"));
    }

    @Test
    void everyEntryTrustedMeansTheLeftMostOfThem() {
        assertEquals("10.0.0.1", source("10.0.0.1, 10.0.0.2"));
    }

    @Test
    void severalHeadersAreOneListInOrder() {
        assertEquals("192.0.2.7", source("198.51.100.1, 192.0.2.7", "10.0.0.5"));
        assertEquals("192.0.2.8", source("192.0.2.7", "192.0.2.8, 10.0.0.5"));
    }

    @Test
    void portsAndBracketsAreStripped() {
        assertEquals("192.0.2.7", source("192.0.2.7:4711"));
        assertEquals("2001:db8::1", source("[2001:db8::1]:443"));
        assertEquals("2001:db8::1", source("[2001:db8::1]"));
        assertEquals("2001:db8::1", source(" 2001:db8::1 ,\t[fd00::2]:80"));
        assertEquals(PEER, source("[2001:db8::1"));
        assertEquals(PEER, source("192.0.2.7:"));
        assertEquals(PEER, source("192.0.2.7:123456"));
    }

    @Test
    void hugeHeaderOfTrustedEntriesEndsAtTheLeftMost() {
        String header = "192.0.2.7, " + "10.0.0.1, ".repeat(2000) + "10.0.0.2";
        assertEquals("192.0.2.7", source(header));
    }

    @Test
    void zoneAndBracketsOfThePeerTextAreRemoved() {
        assertEquals("fe80::1", SourceAddress.bare("fe80::1%eth0"));
        assertEquals("::1", SourceAddress.bare("[::1]"));
        assertEquals("127.0.0.1", SourceAddress.bare("127.0.0.1"));
    }

    @Test
    void invalidTrustedProxyConfigurationIsRefusedNamingTheEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SourceAddress.trustedProxies(List.of("10.0.0.0/8", "10.0.0.1/8")));
        assertEquals(true, e.getMessage().startsWith("udapi.trusted-proxies[1]"), e.getMessage());
    }
}
