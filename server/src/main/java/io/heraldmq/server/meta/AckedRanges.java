package io.heraldmq.server.meta;

import java.io.ByteArrayOutputStream;

/**
 * Encodes a {@link Position}'s acked ranges into the {@code positions.acked_ranges} VARBINARY.
 *
 * <p>Layout: one format byte ({@value #FORMAT_1}), then for each range two unsigned LEB128 varints: the gap from
 * the previous range's end (the committed offset for the first range) to this start, and the range's length.
 * Gaps and lengths are small next to absolute offsets, so a typical range takes 2 to 4 bytes instead of 16.
 * The format byte leaves room to change the encoding without a schema migration.
 */
final class AckedRanges {
    static final byte FORMAT_1 = 1;
    private static final long[] NONE = new long[0];

    private AckedRanges() {
    }

    static byte[] encode(Position p) {
        long[] r = p.ackedRanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 + r.length * 3);
        out.write(FORMAT_1);
        long previousEnd = p.committedOffset();
        for (int i = 0; i < r.length; i += 2) {
            writeVarLong(out, r[i] - previousEnd);
            writeVarLong(out, r[i + 1] - r[i]);
            previousEnd = r[i + 1];
        }
        return out.toByteArray();
    }

    static long[] decode(long committedOffset, byte[] bytes) {
        if (bytes == null || bytes.length <= 1) {
            return NONE;
        }
        if (bytes[0] != FORMAT_1) {
            throw new IllegalStateException("unknown acked_ranges format " + bytes[0]);
        }
        long[] out = new long[8];
        int n = 0;
        int[] at = {1};
        long previousEnd = committedOffset;
        while (at[0] < bytes.length) {
            long start = previousEnd + readVarLong(bytes, at);
            long end = start + readVarLong(bytes, at);
            if (n + 2 > out.length) {
                out = java.util.Arrays.copyOf(out, out.length * 2);
            }
            out[n++] = start;
            out[n++] = end;
            previousEnd = end;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static void writeVarLong(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVarLong(byte[] b, int[] at) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at[0] >= b.length) {
                throw new IllegalStateException("truncated acked_ranges");
            }
            byte x = b[at[0]++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
        throw new IllegalStateException("malformed varint in acked_ranges");
    }
}
