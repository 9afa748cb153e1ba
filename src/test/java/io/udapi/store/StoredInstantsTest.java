package io.udapi.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoredInstantsTest {

    private final ObjectMapper stored = StoreJson.mapper();
    /** Jackson's own reading, what the store mapper did before {@link StoredInstants}. */
    private final ObjectMapper jackson = new ObjectMapper().registerModule(new JavaTimeModule());

    @Test
    void everyInstantUdapiWritesReadsBackToTheSameInstantAsDateTimeFormatterGives() {
        Random random = new Random(20261207);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() + 1);
            int nanos = switch (i % 4) {        // Instant.toString writes 0, 3, 6 or 9 fraction digits
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            String text = Instant.ofEpochSecond(seconds, nanos).toString();
            Instant expected = Instant.from(DateTimeFormatter.ISO_INSTANT.parse(text));
            assertEquals(expected, StoredInstants.parseCanonical(text), text);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-07T01:05:22Z", "2026-12-07T01:05:22.1Z", "2024-02-29T23:59:59.123456789Z",
        "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.99Z", "1970-01-01T00:00:00.00000Z"})
    void everyFractionLengthReadsAsDateTimeFormatterReadsIt(String text) {
        assertEquals(Instant.from(DateTimeFormatter.ISO_INSTANT.parse(text)), StoredInstants.parseCanonical(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-07T01:05:22+01:00", "2026-12-07T01:05:22z", "2026-12-07T01:05:60Z",
        "2026-12-07T24:00:00Z", "2023-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z", "2026-12-00T00:00:00Z", "+10000-01-01T00:00:00Z", "2026-12-07T01:05:22.Z",
        "2026-12-07T01:05:22.1234567890Z", "2026-12-07 01:05:22Z", "2026-12-07T01:05Z", "２026-12-07T01:05:22Z",
        "2026-12-07T01:05:2xZ", "-001-12-07T01:05:22Z", ""})
    void anyOtherFormIsLeftToJackson(String text) {
        assertNull(StoredInstants.parseCanonical(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2026-12-07T01:05:22.5Z\"", "\"2026-12-07T01:05:22+01:00\"", "\"2026-12-07T01:05:22.Z\"",
        "\"2026-12-07T24:00:00Z\"", "1765069522", "1765069522.5", "\"+10000-01-01T00:00:00Z\""})
    void theStoreMapperAcceptsWhatJacksonAcceptsWithTheSameMeaning(String json) throws Exception {
        assertEquals(jackson.readValue(json, Instant.class), stored.readValue(json, Instant.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2023-02-29T00:00:00Z\"", "\"yesterday\"", "\"2026-12-07T01:05:60Z\""})
    void theStoreMapperRefusesWhatJacksonRefusesWithJacksonsError(String json) {
        InvalidFormatException theirs = assertThrows(InvalidFormatException.class, () -> jackson.readValue(json, Instant.class));
        InvalidFormatException ours = assertThrows(InvalidFormatException.class, () -> stored.readValue(json, Instant.class));
        assertEquals(theirs.getOriginalMessage(), ours.getOriginalMessage());
    }
}
