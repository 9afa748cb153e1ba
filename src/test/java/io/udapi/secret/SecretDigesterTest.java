package io.udapi.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SecretDigesterTest {

    private static final String SECRET = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

    @Test
    void digestWhenSameInputThenEqualKeys() {
        SecretDigester digester = new SecretDigester();

        SecretDigest first = digester.digest(SECRET);
        SecretDigest second = digester.digest(SECRET);

        assertEquals(first, second);
        assertEquals(first.hashCode(), second.hashCode());
    }

    @Test
    void digestWhenDifferentInputThenDifferentKeys() {
        SecretDigester digester = new SecretDigester();

        assertNotEquals(digester.digest(SECRET), digester.digest(SECRET + "x"));
    }

    /** Each process builds its own digester with its own random key. */
    @Test
    void digestWhenOtherInstanceThenDifferentKey() {
        assertNotEquals(new SecretDigester().digest(SECRET), new SecretDigester().digest(SECRET));
    }

    @Test
    void toStringWhenCalledThenRevealsNothing() {
        String text = new SecretDigester().digest(SECRET).toString();

        assertEquals("SecretDigest[redacted]", text);
        assertFalse(text.contains(SECRET));
    }
}
