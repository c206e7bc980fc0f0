package io.heraldmq.connect.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a file source knows of file incarnations it has read, by identity (inode): where each one stopped when its
 * path moved on to another incarnation, and at start where every checkpoint in the checkpoint directory stands. A
 * file found under a new name (rotation renames {@code app.log} to {@code app.log.1}) is then read on from there
 * rather than again from its start. Bounded (the 1,024 most recent); files without identity are not tracked. Used by
 * the source's reader thread only.
 */
final class Incarnations {
    private static final System.Logger LOG = System.getLogger(Incarnations.class.getName());
    private static final int MAX = 1024;

    private final Map<String, Checkpoint> byKey = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Checkpoint> eldest) {
            return size() > MAX;
        }
    };

    /** Learns every checkpoint in {@code dir}. */
    void load(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".checkpoint")).sorted().toList()) {
                try {
                    Checkpoint cp = Checkpoint.read(p);
                    if (cp != null) {
                        left(cp);
                    }
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "ignoring unreadable checkpoint " + p + ": " + e);
                }
            }
        }
    }

    /** An incarnation is no longer read under its path; this is where it stopped. */
    void left(Checkpoint cp) {
        if (!cp.fileKey().isEmpty()) {
            Checkpoint before = byKey.get(cp.fileKey());
            if (before == null || before.offset() <= cp.offset()) {
                byKey.put(cp.fileKey(), cp);
            }
        }
    }

    /** Where the incarnation {@code key} stopped, or null if it was never read. */
    Checkpoint find(String key) {
        return key == null || key.isEmpty() ? null : byKey.get(key);
    }
}
