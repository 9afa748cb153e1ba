package io.udapi.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The matcher against a naive reference: {@link InetAddress} reads the literals (only literals are ever
 * given to it, so it resolves no name) and membership is a {@link BigInteger} mask comparison against
 * every block. Seeded, so a failure repeats; the seed is in the message.
 */
class SourceRangesPropertyTest {

    private static final long SEED = 0x5eed_2026_1203L;

    /** A reference block: the family's byte length, the network as an unsigned number, and the prefix. */
    private record Block(int bytes, BigInteger network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != bytes) {
                return false;
            }
            int bits = bytes * 8;
            return new BigInteger(1, address).shiftRight(bits - prefix).equals(network.shiftRight(bits - prefix));
        }
    }

    @Test
    void matcherAgreesWithTheReferenceOnRandomTablesAndAddresses() throws Exception {
        Random random = new Random(SEED);
        for (int round = 0; round < 400; round++) {
            List<Block> blocks = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            List<byte[]> probes = new ArrayList<>();
            int count = 1 + random.nextInt(random.nextBoolean() ? 5 : 100);
            for (int i = 0; i < count; i++) {
                byte[] address = randomAddress(random);
                int bits = address.length * 8;
                int prefix = random.nextInt(5) == 0 ? bits : random.nextInt(bits + 1);
                byte[] network = mask(address, prefix);
                if (isMapped(network, prefix)) {
                    continue; // refused as input (tested elsewhere)
                }
                blocks.add(new Block(address.length, new BigInteger(1, network), prefix));
                texts.add(text(network, random) + (prefix == bits && random.nextBoolean() ? "" : "/" + prefix));
                // the edges of the block and just outside them
                BigInteger first = new BigInteger(1, network);
                BigInteger last = first.add(BigInteger.ONE.shiftLeft(bits - prefix)).subtract(BigInteger.ONE);
                for (BigInteger edge : List.of(first, last, first.subtract(BigInteger.ONE), last.add(BigInteger.ONE))) {
                    if (edge.signum() >= 0 && edge.bitLength() <= bits) {
                        probes.add(bytes(edge, address.length));
                    }
                }
            }
            if (blocks.isEmpty()) {
                continue;
            }
            for (int i = 0; i < 50; i++) {
                probes.add(randomAddress(random));
            }
            SourceRanges ranges = new SourceRanges(texts);
            for (byte[] probe : probes) {
                if (probe.length == 16 && isMapped(probe, 128)) {
                    continue;
                }
                boolean expected = blocks.stream().anyMatch(b -> b.contains(probe));
                String text = text(probe, random);
                assertEquals(expected, ranges.allows(text), "seed " + SEED + " round " + round + ": " + text + " in " + texts);
            }
        }
    }

    @Test
    void parserReadsEveryRandomLiteralAsTheReferenceDoes() throws Exception {
        Random random = new Random(SEED + 1);
        AddressText parser = new AddressText();
        for (int i = 0; i < 20_000; i++) {
            byte[] address = randomAddress(random);
            String text = text(address, random);
            int family = parser.parse(text, 0, text.length());
            byte[] reference = InetAddress.getByName(text).getAddress(); // a literal: no lookup
            byte[] parsed;
            if (family == AddressText.V4) {
                parsed = bytes(BigInteger.valueOf(parser.v4), 4);
            } else {
                assertEquals(AddressText.V6, family, text);
                parsed = java.nio.ByteBuffer.allocate(16).putLong(parser.hi).putLong(parser.lo).array();
            }
            assertArrayEquals(reference, parsed, text);
        }
    }

    @Test
    void canonicalFormReadsBackAsTheSameBlockByTheReference() throws Exception {
        Random random = new Random(SEED + 2);
        for (int i = 0; i < 5_000; i++) {
            byte[] address = randomAddress(random);
            int bits = address.length * 8;
            int prefix = random.nextInt(bits + 1);
            byte[] network = mask(address, prefix);
            if (isMapped(network, prefix)) {
                continue;
            }
            String canonical = new SourceRanges(List.of(text(network, random) + "/" + prefix)).cidrs().get(0);
            String addressPart = canonical.substring(0, canonical.indexOf('/'));
            assertArrayEquals(network, InetAddress.getByName(addressPart).getAddress(), canonical);
            assertEquals(canonical, new SourceRanges(List.of(canonical)).cidrs().get(0), "stable");
            assertEquals(addressPart.toLowerCase(Locale.ROOT), addressPart);
        }
    }

    @Test
    void randomTextNeverThrows() {
        Random random = new Random(SEED + 3);
        String alphabet = "0123456789abcdefABCDEF:.%/[] ,x-";
        SourceRanges ranges = new SourceRanges(List.of("0.0.0.0/0", "::/0"));
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(50); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = text.toString();
            ranges.lookup(s, 0, s.length());
            assertNotNull(SourceRanges.parse("f", List.of(s)));
        }
    }

    // ---- generators --------------------------------------------------------------------------

    private static byte[] randomAddress(Random random) {
        byte[] address = new byte[random.nextBoolean() ? 4 : 16];
        random.nextBytes(address);
        if (address.length == 16 && random.nextInt(4) == 0) {
            for (int i = 2 + random.nextInt(12); i < 16 - random.nextInt(3); i++) {
                address[i] = 0; // zero runs, so that "::" appears in many places
            }
        }
        return address;
    }

    private static boolean isMapped(byte[] address, int prefix) {
        if (address.length != 16 || prefix < 96) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int bit = prefix; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    private static byte[] bytes(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    /** One of several spellings: Java's full form, compressed, upper case, or with a trailing dotted quad. */
    private static String text(byte[] address, Random random) throws UnknownHostException {
        InetAddress inet = InetAddress.getByAddress(address);
        if (address.length == 4) {
            return inet.getHostAddress();
        }
        String full = Inet6Address.getByAddress(null, address, -1).getHostAddress();
        switch (random.nextInt(4)) {
            case 0:
                return full;
            case 1:
                return compressed(address);
            case 2:
                return compressed(address).toUpperCase(Locale.ROOT);
            default:
                String hexPart = full.substring(0, nthColon(full, 6) + 1);
                return hexPart + (address[12] & 0xFF) + "." + (address[13] & 0xFF) + "." + (address[14] & 0xFF) + "."
                        + (address[15] & 0xFF);
        }
    }

    private static int nthColon(String s, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = s.indexOf(':', at + 1);
        }
        return at;
    }

    /** "::" for the first longest run of zero groups (any length ≥ 1, unlike RFC 5952: also valid input). */
    private static String compressed(byte[] a) {
        int[] groups = new int[8];
        for (int g = 0; g < 8; g++) {
            groups[g] = ((a[2 * g] & 0xFF) << 8) | (a[2 * g + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int g = 0; g < 8; ) {
            if (groups[g] != 0) {
                g++;
                continue;
            }
            int start = g;
            while (g < 8 && groups[g] == 0) {
                g++;
            }
            if (g - start > bestLength) {
                bestStart = start;
                bestLength = g - start;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                out.append("::");
                g += bestLength - 1;
                continue;
            }
            if (g > 0 && g != bestStart + bestLength) {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[g]));
        }
        return out.toString();
    }
}
