package io.heraldmq.connect;

/**
 * One line read by a source, ready to publish.
 *
 * @param file   the path the source follows, as configured (absolute); also the message group
 * @param line   1-based line number within the current incarnation of the file (restarts at 1 after rotation)
 * @param offset byte offset of the first byte of the line in that incarnation
 * @param text   the line without its terminator ({@code \n} or {@code \r\n}), decoded as UTF-8
 */
public record LogRecord(String file, long line, long offset, String text) {
}
