package io.udapi.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;

/**
 * Reads the instants of stored objects. Every stored object carries two or three, so a warm load of
 * 100,000 tokens parses about 250,000 of them; through {@code DateTimeFormatter.ISO_INSTANT} that was
 * half of the listing's time in a freshly started JVM (bench/RESULTS.md, "Warm load of 100,000 tokens").
 *
 * <p>The fast path takes exactly the form udapi writes ({@link Instant#toString()} of a year 0000..9999:
 * {@code yyyy-MM-ddTHH:mm:ss[.f…]Z}, 0 to 9 fraction digits) and computes the instant from its digits.
 * Anything else (an offset, a leap second, a lower-case {@code z}, a number, an invalid date) goes to
 * Jackson's own {@link InstantDeserializer}, so what is accepted, what it means and how a refusal reads
 * are unchanged.
 */
final class StoredInstants extends StdScalarDeserializer<Instant> {

    private static final long SECONDS_PER_DAY = 86_400;
    private static final int[] SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    StoredInstants() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            Instant fast = parseCanonical(parser.getText());
            if (fast != null) {
                return fast;
            }
        }
        return InstantDeserializer.INSTANT.deserialize(parser, context);
    }

    /** The instant {@code text} denotes when it has the canonical form described above; null otherwise. */
    static Instant parseCanonical(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > lengthOfMonth(year, month)) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int fraction = length - 21;     // between '.' and 'Z'
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            int value = digits(text, 20, fraction);
            if (value < 0) {
                return null;
            }
            nanos = value * SCALE[fraction];
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The decimal value of {@code count} ASCII digits from {@code from}, or -1 when one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int d = text.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> Year.isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
