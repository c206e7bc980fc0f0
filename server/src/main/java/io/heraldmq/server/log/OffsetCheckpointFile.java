package io.heraldmq.server.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * A small file holding one offset, replaced atomically. Used for the clean-shutdown marker
 * ({@code .clean-shutdown}: the log end offset at close) and the recovery point ({@code recovery-point}: every
 * segment with a smaller base offset is durable, indexes included).
 * <p>
 * Layout, 12 bytes, big-endian:
 * <pre>
 * offset size field
 * 0      8    offset
 * 8      4    CRC32C of bytes 0..7
 * </pre>
 * Written to {@code name.tmp}, fsynced, renamed over the old file, then the directory is fsynced: a crash leaves the
 * old file or the new one, never a mix. A file with a wrong size or CRC reads as absent, which is always safe: absent
 * means "scan".
 */
public final class OffsetCheckpointFile {
    static final int BYTES = 12;

    private final Path file;

    public OffsetCheckpointFile(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    public OptionalLong read() throws IOException {
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != BYTES) {
            return OptionalLong.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long offset = buffer.getLong(0);
        return crc(offset) == buffer.getInt(8) ? OptionalLong.of(offset) : OptionalLong.empty();
    }

    public void write(long offset) throws IOException {
        IoUtil.replaceDurably(file, ByteBuffer.allocate(BYTES).putLong(offset).putInt(crc(offset)).flip());
    }

    /** Deletes the file durably, so a crash after this call cannot be mistaken for a clean shutdown. */
    void delete() throws IOException {
        if (Files.deleteIfExists(file)) {
            IoUtil.forceDirectory(file.getParent());
        }
    }

    private static int crc(long offset) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, offset));
        return (int) crc.getValue();
    }
}
