package io.heraldmq.server.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A replica's durable vote: "this replica accepted {@link #leader()} as the leader of epoch {@link #epoch()} and will
 * accept no lower epoch, and no other leader at that epoch". It has to survive crashes, or a restarted replica could
 * vote twice in one epoch and two leaders could each count it; so {@link #promise} is on disk before it returns, and
 * a damaged file is an error, never read as "no promise".
 * <p>
 * File {@value #FILE_NAME} in the partition directory, replaced atomically (tmp, fsync, rename, fsync of the
 * directory). Layout, big-endian:
 * <pre>
 * offset  size  field
 * 0       4     version   1
 * 4       4     epoch     at least 0
 * 8       2     n         length of the leader id in UTF-8 bytes, 1 .. 65535
 * 10      n     leader    broker id of the leader, UTF-8
 * 10 + n  4     crc       CRC32C of bytes 0 .. 10 + n - 1
 * </pre>
 * No file: no promise yet.
 * <p>
 * Threads: {@link #promise} from one owner at a time (serialized here as well); the getters from any thread, each
 * from an immutable snapshot. Read {@link #epoch()} and {@link #leader()} on the owner to see them as one promise.
 */
public final class EpochPromiseFile {
    public static final String FILE_NAME = "epoch-promise";
    static final int VERSION = 1;
    private static final int HEADER_BYTES = 10;
    private static final int CRC_BYTES = 4;
    private static final int MAX_LEADER_BYTES = 0xFFFF;

    private record Promise(int epoch, String leader) {
    }

    private static final Promise NONE = new Promise(-1, null);

    private final Path file;
    private volatile Promise current;

    private EpochPromiseFile(Path file, Promise current) {
        this.file = file;
        this.current = current;
    }

    /**
     * Loads the promise of the partition in {@code dir}; none if it has not made one.
     *
     * @throws CorruptLogException if the file is damaged
     */
    public static EpochPromiseFile open(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        return new EpochPromiseFile(file, Files.exists(file) ? read(file) : NONE);
    }

    Path file() {
        return file;
    }

    /** The epoch promised, or -1 if none was. */
    public int epoch() {
        return current.epoch();
    }

    /** The leader promised, or null if none was. */
    public String leader() {
        return current.leader();
    }

    /**
     * Promises {@code leader} as the leader of {@code epoch}, durably. Promising again what is already promised does
     * nothing.
     *
     * @throws IllegalStateException    if {@code epoch} is below the promised epoch, or equal to it with another
     *                                  leader
     * @throws IllegalArgumentException for a negative epoch, or an empty or over-long leader id
     */
    public synchronized void promise(int epoch, String leader) throws IOException {
        promise(epoch, leader, null);
    }

    /**
     * Gives the epoch this replica promised to itself ({@code ownId}), as a candidate that did not win, to
     * {@code leader} instead; otherwise as {@link #promise(int, String)}. The caller guarantees the candidacy ended
     * before it led (see {@code PartitionReplica#assignmentChanged}).
     */
    public synchronized void giveUpOwnEpoch(int epoch, String ownId, String leader) throws IOException {
        promise(epoch, leader, ownId);
    }

    private void promise(int epoch, String leader, String ownId) throws IOException {
        byte[] id = leader == null ? new byte[0] : leader.getBytes(StandardCharsets.UTF_8);
        if (epoch < 0 || id.length == 0 || id.length > MAX_LEADER_BYTES) {
            throw new IllegalArgumentException("cannot promise epoch " + epoch + " to leader '" + leader + "'");
        }
        Promise promised = current;
        boolean givingUpOwn = ownId != null && epoch == promised.epoch() && ownId.equals(promised.leader());
        if (epoch < promised.epoch() || epoch == promised.epoch() && !leader.equals(promised.leader())
                && !givingUpOwn) {
            throw new IllegalStateException(file + " promised epoch " + promised.epoch() + " to leader "
                    + promised.leader() + "; refusing epoch " + epoch + " for leader " + leader);
        }
        if (epoch == promised.epoch() && leader.equals(promised.leader())) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.allocate(HEADER_BYTES + id.length + CRC_BYTES);
        bytes.putInt(VERSION).putInt(epoch).putShort((short) id.length).put(id);
        bytes.putInt(crc(bytes.array(), bytes.position()));
        IoUtil.replaceDurably(file, bytes.flip());
        current = new Promise(epoch, leader);
    }

    private static Promise read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < HEADER_BYTES + 1 + CRC_BYTES) {
            throw new CorruptLogException(file, 0, "only " + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.getInt(0) != VERSION) {
            throw new CorruptLogException(file, 0, "unknown version " + buffer.getInt(0));
        }
        int length = Short.toUnsignedInt(buffer.getShort(8));
        if (length == 0 || HEADER_BYTES + length + CRC_BYTES != bytes.length) {
            throw new CorruptLogException(file, 8, "leader id of " + length + " bytes in a file of "
                    + bytes.length);
        }
        int crcAt = bytes.length - CRC_BYTES;
        if (crc(bytes, crcAt) != buffer.getInt(crcAt)) {
            throw new CorruptLogException(file, crcAt, "CRC mismatch");
        }
        int epoch = buffer.getInt(4);
        if (epoch < 0) {
            throw new CorruptLogException(file, 4, "negative epoch " + epoch);
        }
        return new Promise(epoch, new String(bytes, HEADER_BYTES, length, StandardCharsets.UTF_8));
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
