package io.udapi.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code Authorization} schemes of the trigger ({@code Bearer}, the auth stage) and of the management
 * API ({@code Basic}) against arbitrary header values. Seeds:
 * {@code src/test/resources/io/udapi/trigger/AuthorizationHeaderFuzzTestInputs/parse/}.
 *
 * <p>The bytes are read twice, as ISO-8859-1 (what Vert.x makes of header bytes on the wire) and as UTF-8
 * (so that every BMP character, U+212A and U+017F included, reaches the parsers). For each value:
 * <ul>
 *   <li>neither parser throws;</li>
 *   <li>a secret is found only when the first seven characters are {@code "Bearer "} with ASCII letters in
 *       any case (an independent check below), and it is the trimmed rest, never empty;</li>
 *   <li>credentials are found only when the first six characters are {@code "Basic "} likewise, and
 *       {@code name:password} is exactly the base64-decoded rest, with a non-empty name.</li>
 * </ul>
 */
class AuthorizationHeaderFuzzTest {

    /** {@code AdminAuthenticator.Credentials.parse}: package-private in another package. */
    private static final MethodHandle BASIC;
    private static final MethodHandle NAME;
    private static final MethodHandle PASSWORD;

    static {
        try {
            Class<?> credentials = Class.forName("io.udapi.manage.AdminAuthenticator$Credentials");
            Method parse = credentials.getDeclaredMethod("parse", String.class);
            parse.setAccessible(true);
            Method name = credentials.getDeclaredMethod("name");
            Method password = credentials.getDeclaredMethod("password");
            name.setAccessible(true);
            password.setAccessible(true);
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            BASIC = lookup.unreflect(parse).asType(MethodType.methodType(Object.class, String.class));
            NAME = lookup.unreflect(name).asType(MethodType.methodType(String.class, Object.class));
            PASSWORD = lookup.unreflect(password).asType(MethodType.methodType(String.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void parse(byte[] bytes) throws Throwable {
        check(new String(bytes, StandardCharsets.ISO_8859_1));
        check(new String(bytes, StandardCharsets.UTF_8));
    }

    private static void check(String header) throws Throwable {
        String secret = AuthStage.bearerSecret(header);
        if (secret != null) {
            assertTrue(asciiPrefix(header, "bearer "), () -> "accepted as Bearer: " + escape(header));
            assertEquals(header.substring(7).trim(), secret);
            assertFalse(secret.isEmpty());
        } else if (asciiPrefix(header, "bearer ")) {
            assertTrue(header.substring(7).trim().isEmpty(), () -> "Bearer with a secret refused: " + escape(header));
        }

        Object credentials = BASIC.invokeExact(header);
        if (credentials != null) {
            assertTrue(asciiPrefix(header, "basic "), () -> "accepted as Basic: " + escape(header));
            String name = (String) NAME.invokeExact(credentials);
            String password = (String) PASSWORD.invokeExact(credentials);
            assertFalse(name.isEmpty());
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            assertEquals(decoded, name + ":" + password);
        } else if (!asciiPrefix(header, "basic ")) {
            assertNull(credentials);
        }
    }

    /** Whether {@code s} starts with {@code lowerPrefix}, its letters in either ASCII case. */
    private static boolean asciiPrefix(String s, String lowerPrefix) {
        if (s.length() < lowerPrefix.length()) {
            return false;
        }
        for (int i = 0; i < lowerPrefix.length(); i++) {
            char c = s.charAt(i);
            char p = lowerPrefix.charAt(i);
            boolean same = c == p || (p >= 'a' && p <= 'z' && c == (char) (p - 32));
            if (!same) {
                return false;
            }
        }
        return true;
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), 40); i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return sb.toString();
    }
}
