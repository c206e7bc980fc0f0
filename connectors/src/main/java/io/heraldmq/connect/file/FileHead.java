package io.heraldmq.connect.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file's first bytes as a fingerprint, {@code N:HEX} (SHA-256 of the first N bytes, N at most {@value #BYTES}):
 * with the inode, it tells a file from another that reuses the inode of a deleted one. Log files only grow, so their
 * first bytes, once written, stay.
 */
final class FileHead {
    static final int BYTES = 256;

    private FileHead() {
    }

    /** The fingerprint of the first {@code min(BYTES, size)} bytes; "" for an empty file. */
    static String of(FileChannel ch) throws IOException {
        int n = (int) Math.min(BYTES, ch.size());
        return n == 0 ? "" : n + ":" + hash(ch, n);
    }

    /** How many bytes {@code head} covers (0 for none). */
    static int length(String head) {
        return head.isEmpty() ? 0 : Integer.parseInt(head.substring(0, head.indexOf(':')));
    }

    /** Whether the file starts with the bytes {@code head} was taken of; true when {@code head} is unknown. */
    static boolean matches(FileChannel ch, String head) throws IOException {
        int n = length(head);
        if (n == 0) {
            return true;
        }
        return ch.size() >= n && head.equals(n + ":" + hash(ch, n));
    }

    private static String hash(FileChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, b.position()) < 0) {
                break;
            }
        }
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(b.array(), 0, b.position());
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
