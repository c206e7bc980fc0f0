package io.heraldmq.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Empties the kernel's page cache, so that what is read next comes from the disk: {@code sync}, then
 * {@code echo 3 > /proc/sys/vm/drop_caches}. Needs root (CI and this machine run as root); everywhere else the
 * cold scenarios report "unsupported".
 */
public final class PageCache {
    private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

    private PageCache() {
    }

    /** Why the cache could not be dropped, or null when it was. */
    public static String drop() {
        try {
            Process sync = new ProcessBuilder("sync").inheritIO().start();
            if (!sync.waitFor(120, TimeUnit.SECONDS) || sync.exitValue() != 0) {
                return "sync did not finish";
            }
            Files.writeString(DROP_CACHES, "3");
            return null;
        } catch (IOException e) {
            return "cannot drop the page cache (" + e + "); it needs root";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
