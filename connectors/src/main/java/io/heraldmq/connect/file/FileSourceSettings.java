package io.heraldmq.connect.file;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * What a file source's files need of its options.
 *
 * @param maxLineBytes     the longest line or event kept
 * @param multilineStart   the first line of an event, or null for one event per line
 * @param multilineTimeout how long an event under way waits for more lines before it is sent as it is
 */
record FileSourceSettings(long maxLineBytes, Pattern multilineStart, Duration multilineTimeout) {
}
