package io.udapi.script;

import java.io.CharConversionException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses script output that claims to be UTF-8 and is not (RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF). Jackson's parser does not check every byte (a field name it skips may hold {@code FF}), so
 * without this an output that is no JSON text could pass as one. Output that starts like UTF-16 or UTF-32
 * (a zero byte first, or a UTF-16 byte-order mark) is left to Jackson's own decoding.
 */
final class Utf8Guard extends FilterInputStream {
    private final Checker checker = new Checker();
    private boolean decided;
    private boolean checking;

    Utf8Guard(InputStream in) {
        super(in);
    }

    /** Whether {@code bytes} may go to Jackson: valid UTF-8, or not meant as UTF-8 at all. */
    static boolean acceptable(byte[] bytes) {
        if (bytes.length == 0 || !looksUtf8(bytes[0], bytes.length > 1 ? bytes[1] : 0)) {
            return true;
        }
        Checker c = new Checker();
        for (byte b : bytes) {
            if (!c.accept(b & 0xFF)) {
                return false;
            }
        }
        return c.complete();
    }

    private static boolean looksUtf8(int b0, int b1) {
        b0 &= 0xFF;
        b1 &= 0xFF;
        return b0 != 0 && !(b0 == 0xFE && b1 == 0xFF) && !(b0 == 0xFF && b1 == 0xFE);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            if (checking && !checker.complete()) {
                throw new CharConversionException("the output ends inside a UTF-8 sequence");
            }
            return n;
        }
        if (!decided && n > 0) {
            decided = true;
            checking = looksUtf8(b[off], n > 1 ? b[off + 1] : 0);
        }
        if (checking) {
            for (int i = off; i < off + n; i++) {
                if (!checker.accept(b[i] & 0xFF)) {
                    throw new CharConversionException("the output is not valid UTF-8");
                }
            }
        }
        return n;
    }

    /** The RFC 3629 byte ranges, one byte at a time. */
    private static final class Checker {
        private int pending;   // continuation bytes still expected
        private int low = 0x80; // range of the next continuation byte
        private int high = 0xBF;

        boolean accept(int b) {
            if (pending > 0) {
                if (b < low || b > high) {
                    return false;
                }
                pending--;
                low = 0x80;
                high = 0xBF;
                return true;
            }
            if (b < 0x80) {
                return true;
            }
            if (b >= 0xC2 && b <= 0xDF) {
                pending = 1;
            } else if (b == 0xE0) {
                pending = 2;
                low = 0xA0;
            } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
                pending = 2;
            } else if (b == 0xED) {
                pending = 2;
                high = 0x9F;
            } else if (b == 0xF0) {
                pending = 3;
                low = 0x90;
            } else if (b >= 0xF1 && b <= 0xF3) {
                pending = 3;
            } else if (b == 0xF4) {
                pending = 3;
                high = 0x8F;
            } else {
                return false;
            }
            return true;
        }

        boolean complete() {
            return pending == 0;
        }
    }
}
