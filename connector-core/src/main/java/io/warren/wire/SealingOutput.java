package io.warren.wire;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * Where the inner JSON of a message 2.0 goes while the codec writes it: straight into the outer
 * string's escaped form, behind the envelope's head. The codec escapes non-ASCII itself, so its
 * output is printable ASCII, and in such a string a JSON writer escapes only quote and backslash:
 * the bytes are the ones of writing the inner text first and the envelope around it, without the
 * inner text ever being a String or an array of its own. A byte outside 0x20..0x7e marks the
 * output as unusable ({@link #body} returns null) and the message goes the general way.
 */
final class SealingOutput extends OutputStream {
    private final byte[] tail;
    private byte[] out;
    private int size;
    private boolean printable = true;

    SealingOutput(byte[] head, byte[] tail, int expectedInnerBytes) {
        this.tail = tail;
        this.out = new byte[head.length + expectedInnerBytes + tail.length + 16];
        System.arraycopy(head, 0, out, 0, head.length);
        this.size = head.length;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (!printable) {
            return;
        }
        // Worst case every byte escaped; grown once per chunk, not per byte.
        if (size + 2 * len + tail.length > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + 2 * len + tail.length));
        }
        byte[] o = out;
        int n = size;
        for (int i = off, end = off + len; i < end; i++) {
            byte c = b[i];
            if (c < 0x20 || c > 0x7e) {
                printable = false;
                return;
            }
            if (c == '"' || c == '\\') {
                o[n++] = '\\';
            }
            o[n++] = c;
        }
        size = n;
    }

    /** @return the whole body, exactly sized, or null when the inner text was not printable ASCII */
    byte[] body() {
        if (!printable) {
            return null;
        }
        byte[] body = Arrays.copyOf(out, size + tail.length);
        System.arraycopy(tail, 0, body, size, tail.length);
        return body;
    }
}
