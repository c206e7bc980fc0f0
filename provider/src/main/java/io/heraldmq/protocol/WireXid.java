package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

import javax.transaction.xa.Xid;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An XA transaction branch identifier as it travels and is stored: the X/Open XID (format id, global transaction id,
 * branch qualifier), compared by value, which the {@link Xid}s of transaction managers are not always. Layout
 * (big-endian):
 * <pre>
 * int32 formatId        -1 is the null XID, which names no branch and is refused
 * byte  gtridLength     1..64
 * ...   gtrid
 * byte  bqualLength     0..64
 * ...   bqual
 * </pre>
 * Its text form, used by {@code heraldmq tx} and in logs, is {@code formatId:gtridHex:bqualHex}.
 */
public final class WireXid implements Xid {
    /** The longest global transaction id and branch qualifier (X/Open XA: MAXGTRIDSIZE, MAXBQUALSIZE). */
    public static final int MAX_PART_BYTES = 64;

    private final int formatId;
    private final byte[] gtrid;
    private final byte[] bqual;

    public WireXid(int formatId, byte[] gtrid, byte[] bqual) {
        if (formatId == -1) {
            throw new IllegalArgumentException("the null XID (format id -1) names no transaction branch");
        }
        if (gtrid == null || gtrid.length < 1 || gtrid.length > MAX_PART_BYTES) {
            throw new IllegalArgumentException("a global transaction id has 1 to 64 bytes, not "
                    + (gtrid == null ? "none" : gtrid.length));
        }
        if (bqual == null || bqual.length > MAX_PART_BYTES) {
            throw new IllegalArgumentException("a branch qualifier has 0 to 64 bytes, not "
                    + (bqual == null ? "none" : bqual.length));
        }
        this.formatId = formatId;
        this.gtrid = gtrid.clone();
        this.bqual = bqual.clone();
    }

    /** A value copy of any Xid; {@link IllegalArgumentException} for one that breaks the limits above. */
    public static WireXid of(Xid xid) {
        if (xid instanceof WireXid w) {
            return w;
        }
        if (xid == null) {
            throw new IllegalArgumentException("no XID");
        }
        return new WireXid(xid.getFormatId(), xid.getGlobalTransactionId(), xid.getBranchQualifier());
    }

    /** Parses the text form {@code formatId:gtridHex:bqualHex}. */
    public static WireXid parse(String text) {
        String[] parts = text.trim().split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("an XID is formatId:globalIdHex:branchQualifierHex, not '" + text + "'");
        }
        try {
            return new WireXid(Integer.parseInt(parts[0]), HexFormat.of().parseHex(parts[1]),
                    HexFormat.of().parseHex(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an XID is formatId:globalIdHex:branchQualifierHex, not '" + text
                    + "': " + e.getMessage(), e);
        }
    }

    public void write(Buffer out) {
        out.appendInt(formatId).appendByte((byte) gtrid.length).appendBytes(gtrid)
                .appendByte((byte) bqual.length).appendBytes(bqual);
    }

    /** Bytes {@link #write} appends. */
    public int encodedBytes() {
        return 6 + gtrid.length + bqual.length;
    }

    /** Reads an XID; a length out of range is a {@link ProtocolException}. */
    public static WireXid read(Wire.Cursor c) {
        int formatId = c.readInt();
        byte[] gtrid = readPart(c, 1, "global transaction id");
        byte[] bqual = readPart(c, 0, "branch qualifier");
        if (formatId == -1) {
            throw new ProtocolException("the null XID (format id -1) names no transaction branch");
        }
        return new WireXid(formatId, gtrid, bqual);
    }

    private static byte[] readPart(Wire.Cursor c, int min, String what) {
        int length = c.readByte();
        if (length < min || length > MAX_PART_BYTES) {
            throw new ProtocolException("bad XID " + what + " length " + length);
        }
        byte[] part = new byte[length];
        for (int i = 0; i < length; i++) {
            part[i] = c.readByte();
        }
        return part;
    }

    @Override
    public int getFormatId() {
        return formatId;
    }

    @Override
    public byte[] getGlobalTransactionId() {
        return gtrid.clone();
    }

    @Override
    public byte[] getBranchQualifier() {
        return bqual.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireXid x && x.formatId == formatId && Arrays.equals(x.gtrid, gtrid)
                && Arrays.equals(x.bqual, bqual);
    }

    @Override
    public int hashCode() {
        return (formatId * 31 + Arrays.hashCode(gtrid)) * 31 + Arrays.hashCode(bqual);
    }

    @Override
    public String toString() {
        return formatId + ":" + HexFormat.of().formatHex(gtrid) + ":" + HexFormat.of().formatHex(bqual);
    }
}
