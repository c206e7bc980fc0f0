package io.heraldmq.connect.file;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a {@code path} option names: a glob in {@link java.nio.file.FileSystem#getPathMatcher} syntax
 * ({@code *}, {@code ?}, {@code [abc]}, {@code {a,b}}, and {@code **} across directories), relative paths taken from
 * the working directory. Only the directories below the glob's literal prefix are listed, and only as deep as the
 * pattern reaches (any depth with {@code **}).
 */
final class FileGlob {
    private final String pattern;
    private final Path base;
    private final int depth;
    private final PathMatcher matcher;

    FileGlob(String glob) {
        Path absolute = Path.of(glob).toAbsolutePath().normalize();
        this.pattern = absolute.toString();
        Path literal = absolute.getRoot();
        int i = 0;
        for (; i < absolute.getNameCount(); i++) {
            String part = absolute.getName(i).toString();
            if (part.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0)) {
                break;
            }
            literal = literal.resolve(part);
        }
        if (i == absolute.getNameCount()) {
            // No wildcard: the file itself.
            this.base = absolute.getParent();
            this.depth = 1;
        } else {
            this.base = literal;
            this.depth = pattern.contains("**") ? Integer.MAX_VALUE : absolute.getNameCount() - i;
        }
        try {
            this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad glob " + glob + ": " + e.getMessage());
        }
    }

    /** The regular files that match now, in name order; none if the base directory does not exist (yet). */
    List<Path> matches() throws IOException {
        try (Stream<Path> s = Files.walk(base, depth)) {
            return s.filter(matcher::matches).filter(Files::isRegularFile).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (java.io.UncheckedIOException e) {
            // a directory vanished during the walk (rotation tools do that); the next scan sees the new state
            throw e.getCause();
        }
    }

    @Override
    public String toString() {
        return pattern;
    }
}
