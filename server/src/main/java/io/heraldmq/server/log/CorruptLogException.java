package io.heraldmq.server.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Data that was once durable is damaged: the partition must be fenced, not repaired silently, because truncating
 * there would drop acknowledged messages. Torn writes at the end of the log are not reported this way: recovery
 * truncates them.
 */
public final class CorruptLogException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long position;

    public CorruptLogException(Path file, long position, String problem) {
        super(file + " is corrupt at byte " + position + ": " + problem);
        this.file = file;
        this.position = position;
    }

    public Path file() {
        return file;
    }

    public long position() {
        return position;
    }
}
