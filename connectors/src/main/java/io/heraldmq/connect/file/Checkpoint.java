package io.heraldmq.connect.file;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * Where a {@link TailedFile} stands: every line before {@code offset} of the file identified by {@code fileKey}
 * has been sent PERSISTENT and acknowledged by the broker (or refused as too long, with a log line).
 * <p>
 * File format: a Java properties text file (ISO-8859-1; other characters as backslash-u escapes), five keys and two
 * optional ones:
 * <pre>
 * version=1
 * file=/var/log/app.log
 * fileKey=(dev=803,ino=1234567)
 * offset=40960
 * line=512
 * </pre>
 * {@code file} is the followed path, for humans only; {@code fileKey} is {@code BasicFileAttributes.fileKey()} of
 * the incarnation being read (empty if the file system has none); {@code offset} is the byte offset of the next line
 * to send; {@code line} is how many lines of that incarnation were sent; {@code done=true} (written only when true)
 * marks a compressed rotated file read to its end and acknowledged, never to be read again. For a {@code .gz} file
 * {@code offset} counts uncompressed bytes. {@code head=N:HEX} (written when known) is the SHA-256 of the
 * incarnation's first N bytes (N at most 256, see {@link FileHead}): a file whose inode matches but whose start
 * differs is another file that reuses the inode, and the checkpoint does not apply to it.
 * It is replaced atomically (written to {@code NAME.tmp}, forced to disk, renamed over {@code NAME}) so a crash
 * leaves either the old or the new checkpoint, never a torn one.
 */
record Checkpoint(String file, String fileKey, long offset, long line, boolean done, String head) {
    Checkpoint(String file, String fileKey, long offset, long line) {
        this(file, fileKey, offset, line, false, "");
    }

    Checkpoint(String file, String fileKey, long offset, long line, boolean done) {
        this(file, fileKey, offset, line, done, "");
    }

    Checkpoint withHead(String newHead) {
        return new Checkpoint(file, fileKey, offset, line, done, newHead);
    }

    static final int VERSION = 1;

    /** The checkpoint stored at {@code path}, or null if there is none. */
    static Checkpoint read(Path path) throws IOException {
        if (!Files.exists(path)) {
            return null;
        }
        return parse(Files.readString(path, StandardCharsets.ISO_8859_1));
    }

    static Checkpoint parse(String text) throws IOException {
        Properties p = new Properties();
        try (Reader r = new StringReader(text)) {
            p.load(r);
        }
        String version = p.getProperty("version");
        if (!String.valueOf(VERSION).equals(version)) {
            throw new IOException("unsupported checkpoint version: " + version);
        }
        try {
            return new Checkpoint(p.getProperty("file", ""), p.getProperty("fileKey", ""),
                    Long.parseLong(p.getProperty("offset")), Long.parseLong(p.getProperty("line")),
                    Boolean.parseBoolean(p.getProperty("done", "false")), p.getProperty("head", ""));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IOException("malformed checkpoint: " + text, e);
        }
    }

    String format() {
        // Written by hand rather than Properties.store: that adds a date comment, which makes the file differ on
        // every write for no information.
        return "version=" + VERSION + "\n"
                + "file=" + escape(file) + "\n"
                + "fileKey=" + escape(fileKey) + "\n"
                + "offset=" + offset + "\n"
                + "line=" + line + "\n"
                + (done ? "done=true\n" : "")
                + (head.isEmpty() ? "" : "head=" + escape(head) + "\n");
    }

    void write(Path path) throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        byte[] bytes = format().getBytes(StandardCharsets.ISO_8859_1);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            // Forced before the rename so the rename can never expose an empty file after a power loss.
            ch.force(true);
        }
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Properties escaping for a value: backslash, line breaks, leading blank and non-Latin-1 characters. */
    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if ((i == 0 && c == ' ') || c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
