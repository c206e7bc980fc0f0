package io.heraldmq.server.cluster;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The broker id kept in {@code <data.dir>/broker-id}: a replica is its data, so a broker restarted on the same data
 * directory must come back as the same replica, and a broker on another directory must not pose as it. The file is
 * written once, atomically (a temporary file, fsynced, then renamed), so a crash leaves either no id or the whole
 * one. Blocking: call it on a worker.
 */
public final class BrokerIdentity {
    static final String FILE = "broker-id";

    private BrokerIdentity() {
    }

    /**
     * The id of the broker on {@code dataDir}: the stored one, else {@code configured}, else a new random one; a new
     * one is stored.
     *
     * @param configured {@code broker.id}, or null
     * @throws IllegalStateException if {@code configured} differs from the stored id: the data belongs to another
     *                               broker
     */
    public static String load(Path dataDir, String configured) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!ClusterSettings.ID.matcher(stored).matches()) {
                throw new IllegalStateException(file + " does not hold a broker id: '" + stored + "'");
            }
            if (configured != null && !configured.equals(stored)) {
                throw new IllegalStateException(ClusterSettings.BROKER_ID_KEY + " is " + configured + " but the data"
                        + " in " + dataDir + " belongs to broker " + stored + " (" + file + ")");
            }
            return stored;
        }
        String id = configured != null ? configured : UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Files.createDirectories(dataDir);
        Path tmp = dataDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dataDir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
        return id;
    }
}
