package io.udapi.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.audit.AuditEvent;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The text form of an announcement: what one instance writes, another reads back exactly; anything else is refused. */
class ChangeMessageTest {

    @ParameterizedTest
    @EnumSource(AuditEvent.ObjectType.class)
    void messageWhenWrittenAndParsedThenTheSame(AuditEvent.ObjectType type) {
        ChangeMessage message = new ChangeMessage("0a1b2c3d4e5f6789", type, "tok_2f0e1c-Ab.9");
        assertEquals("v1 0a1b2c3d4e5f6789 " + type.name() + " tok_2f0e1c-Ab.9", message.text());
        assertEquals(Optional.of(message), ChangeMessage.parse(message.text()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v1", "v1 ", "v1 0a token", "v1 0a token ", "v2 0a token id", "V1 0a token id",
            "v1 0A token id", "v1 zz token id", "v1  token id", "v1 0a Token id", "v1 0a tokens id", "v1 0a token id x",
            "v1 0a token i\u00e9", "v1 0a token i\td", "v1 0123456789abcdef0123456789abcdef0 token id", " v1 0a token id"})
    void messageWhenMalformedThenRefused(String text) {
        assertEquals(Optional.empty(), ChangeMessage.parse(text), text);
    }

    @Test
    void messageWhenIdTooLongOrTextHugeThenRefused() {
        assertTrue(ChangeMessage.parse("v1 0a token " + "x".repeat(ChangeMessage.MAX_ID)).isPresent());
        assertEquals(Optional.empty(), ChangeMessage.parse("v1 0a token " + "x".repeat(ChangeMessage.MAX_ID + 1)));
        assertEquals(Optional.empty(), ChangeMessage.parse("v1 0a token " + "x".repeat(100_000)));
        assertEquals(Optional.empty(), ChangeMessage.parse(null));
    }

    @Test
    void messageWhenBuiltWithAnInvalidFieldThenRefusedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new ChangeMessage("XY", AuditEvent.ObjectType.token, "id"));
        assertThrows(IllegalArgumentException.class, () -> new ChangeMessage("0a", null, "id"));
        assertThrows(IllegalArgumentException.class, () -> new ChangeMessage("0a", AuditEvent.ObjectType.user, "a b"));
    }
}
