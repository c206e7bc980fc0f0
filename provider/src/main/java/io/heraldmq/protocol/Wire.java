package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Primitive encodings shared by every frame and record. All integers are big-endian.
 * <pre>
 * string : int16 length (-1 = null) + that many bytes of UTF-8
 * bytes  : int32 length (-1 = null) + that many bytes
 * </pre>
 * Readers take a {@link Cursor} so a frame body is parsed front to back without intermediate objects, and every read
 * is bounds-checked: running past the end is a {@link ProtocolException}, never an IndexOutOfBoundsException.
 */
public final class Wire {
    public static final int MAX_STRING_BYTES = Short.MAX_VALUE;

    private Wire() {
    }

    public static void writeString(Buffer out, String value) {
        if (value == null) {
            out.appendShort((short) -1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string longer than " + MAX_STRING_BYTES + " bytes");
        }
        out.appendShort((short) bytes.length);
        out.appendBytes(bytes);
    }

    public static void writeBytes(Buffer out, byte[] value) {
        if (value == null) {
            out.appendInt(-1);
            return;
        }
        out.appendInt(value.length);
        out.appendBytes(value);
    }

    /** A read position over a buffer region, with bounds checks that raise {@link ProtocolException}. */
    public static final class Cursor {
        private final Buffer buffer;
        private final int end;
        private int pos;

        public Cursor(Buffer buffer) {
            this(buffer, 0, buffer.length());
        }

        public Cursor(Buffer buffer, int start, int end) {
            this.buffer = buffer;
            this.pos = start;
            this.end = end;
        }

        public int position() {
            return pos;
        }

        public int remaining() {
            return end - pos;
        }

        public Buffer buffer() {
            return buffer;
        }

        private void need(int n) {
            if (n < 0 || end - pos < n) {
                throw new ProtocolException("truncated: need " + n + " bytes at " + pos + ", have " + (end - pos));
            }
        }

        public byte readByte() {
            need(1);
            return buffer.getByte(pos++);
        }

        public short readShort() {
            need(2);
            short v = buffer.getShort(pos);
            pos += 2;
            return v;
        }

        public int readInt() {
            need(4);
            int v = buffer.getInt(pos);
            pos += 4;
            return v;
        }

        public long readLong() {
            need(8);
            long v = buffer.getLong(pos);
            pos += 8;
            return v;
        }

        public float readFloat() {
            return Float.intBitsToFloat(readInt());
        }

        public double readDouble() {
            return Double.longBitsToDouble(readLong());
        }

        public String readString() {
            short len = readShort();
            if (len == -1) {
                return null;
            }
            if (len < 0) {
                throw new ProtocolException("negative string length " + len);
            }
            need(len);
            String s = buffer.getString(pos, pos + len, "UTF-8");
            pos += len;
            return s;
        }

        public byte[] readBytes() {
            int len = readInt();
            if (len == -1) {
                return null;
            }
            need(len);
            byte[] b = buffer.getBytes(pos, pos + len);
            pos += len;
            return b;
        }

        /** The next {@code n} bytes as a slice sharing the underlying memory. */
        public Buffer readSlice(int n) {
            need(n);
            Buffer slice = buffer.slice(pos, pos + n);
            pos += n;
            return slice;
        }

        public void skip(int n) {
            need(n);
            pos += n;
        }

        /** Everything that is left, as a slice. */
        public Buffer rest() {
            return readSlice(remaining());
        }

        public void expectEnd() {
            if (pos != end) {
                throw new ProtocolException((end - pos) + " unexpected trailing bytes");
            }
        }
    }
}
