package io.heraldmq.server.log;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Positional I/O loops: FileChannel may transfer fewer bytes than asked. */
final class IoUtil {
    private IoUtil() {
    }

    static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        long pos = position;
        while (bytes.hasRemaining()) {
            pos += channel.write(bytes, pos);
        }
    }

    /** Reads until {@code bytes} is full; EOFException if the file ends first. */
    static void readFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        long pos = position;
        while (bytes.hasRemaining()) {
            int n = channel.read(bytes, pos);
            if (n < 0) {
                throw new EOFException("end of file at " + pos);
            }
            pos += n;
        }
    }

    /**
     * Replaces {@code file} with {@code bytes} so that a crash leaves the old content or the new, never a mix: writes
     * {@code name.tmp}, fsyncs it, renames it over the file, fsyncs the directory. Durable when it returns.
     */
    static void replaceDurably(Path file, ByteBuffer bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(channel, bytes, 0);
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(file.getParent());
    }

    /** Makes creations, renames and deletions in {@code dir} durable (Linux; a no-op where unsupported). */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (Files.isDirectory(dir) && System.getProperty("os.name", "").startsWith("Windows")) {
                return;
            }
            throw e;
        }
    }
}
