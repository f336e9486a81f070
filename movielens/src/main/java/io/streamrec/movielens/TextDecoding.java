package io.streamrec.movielens;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a small metadata file with its official charset, falling back when the bytes prove it was re-encoded.
 *
 * <p>GroupLens ships {@code u.item} and {@code movies.dat} as latin-1 but {@code movies.csv} as UTF-8, and converted
 * copies circulate. Latin-1 accented text is almost never valid UTF-8, so "valid UTF-8 with non-ASCII bytes" reliably
 * means UTF-8; decoding it as latin-1 would silently produce "CafÃ©".
 */
final class TextDecoding {
    /** The decoded text and the charset actually used. */
    record Decoded(String text, Charset charset) {}

    private TextDecoding() {}

    static Decoded decode(byte[] bytes, Charset official) {
        int offset = hasUtf8Bom(bytes) ? 3 : 0;
        String utf8 = strictUtf8(bytes, offset);
        if (official.equals(StandardCharsets.UTF_8)) {
            return utf8 != null
                    ? new Decoded(utf8, StandardCharsets.UTF_8)
                    : new Decoded(latin1(bytes, offset), StandardCharsets.ISO_8859_1);
        }
        if (utf8 != null && hasNonAscii(bytes, offset)) {
            return new Decoded(utf8, StandardCharsets.UTF_8);
        }
        return new Decoded(new String(bytes, offset, bytes.length - offset, official), official);
    }

    private static String latin1(byte[] bytes, int offset) {
        return new String(bytes, offset, bytes.length - offset, StandardCharsets.ISO_8859_1);
    }

    private static String strictUtf8(byte[] bytes, int offset) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean hasUtf8Bom(byte[] b) {
        return b.length >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF;
    }

    private static boolean hasNonAscii(byte[] b, int offset) {
        for (int i = offset; i < b.length; i++) {
            if (b[i] < 0) return true;
        }
        return false;
    }
}
