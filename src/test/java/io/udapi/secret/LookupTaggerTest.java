package io.udapi.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class LookupTaggerTest {

    private static final String SECRET = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

    @Test
    void tagWhenSamePepperThenSameTag() {
        assertEquals(new LookupTagger("pepper-one").tag(SECRET), new LookupTagger("pepper-one").tag(SECRET));
    }

    @Test
    void tagWhenDifferentPepperThenDifferentTag() {
        assertNotEquals(new LookupTagger("pepper-one").tag(SECRET), new LookupTagger("pepper-two").tag(SECRET));
    }

    @Test
    void tagWhenDifferentSecretsThenTagsSpreadOverThirtyTwoBits() {
        LookupTagger tagger = new LookupTagger("pepper-one");
        Set<Integer> tags = new HashSet<>();
        boolean highBitSeen = false;
        for (int i = 0; i < 1000; i++) {
            int tag = tagger.tag(SECRET + i);
            tags.add(tag);
            highBitSeen |= tag < 0;
        }
        // 1000 values in 2^32: a collision has probability about 1e-4; the top bit is used (int sign).
        assertTrue(tags.size() >= 999);
        assertTrue(highBitSeen);
    }

    /**
     * RFC 4231 test case 2 (key "Jefe", data "what do ya want for nothing?"): HMAC-SHA-256 starts with
     * 5bdcc146, so the tag is the int 0x5bdcc146 — the first 4 bytes, big-endian, and nothing more.
     */
    @Test
    void tagWhenRfc4231VectorThenFirstFourMacBytesBigEndian() {
        assertEquals(0x5bdcc146, new LookupTagger("Jefe").tag("what do ya want for nothing?"));
    }

    @Test
    void tagWhenComparedWithJdkHmacThenSamePrefix() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("some pepper".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] full = mac.doFinal(SECRET.getBytes(StandardCharsets.UTF_8));

        int tag = new LookupTagger("some pepper").tag(SECRET);

        assertEquals(HexFormat.of().formatHex(full, 0, 4), String.format("%08x", tag));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t\n"})
    void constructorWhenPepperIsEmptyThenFailsFast(String pepper) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LookupTagger(pepper));
        assertTrue(e.getMessage().contains("udapi.secrets.pepper"));
    }

    @Test
    void tagWhenCalledFromManyThreadsThenSameAnswers() throws Exception {
        LookupTagger tagger = new LookupTagger("pepper-one");
        int expected = tagger.tag(SECRET);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        if (tagger.tag(SECRET) != expected) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
