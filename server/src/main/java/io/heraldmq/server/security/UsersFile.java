package io.heraldmq.server.security;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * {@code security.users.file}: users and roles in a file of their own, in the broker configuration's syntax
 * ({@code user.<name> = <hash>}, {@code user.<name>.roles = a,b}; nothing else), read at start-up and again after
 * every change, without a restart, as Artemis's properties login module does. Checked every second on a Vert.x
 * timer: when its modification time or size changed, it is read on a worker; a file that does not parse is refused
 * with a log line naming the key and the users in force stay. What it says is added to the users and roles of the
 * broker's configuration (a name in both: the file wins). New connections use the new users and roles; connections
 * already open keep the roles they had.
 */
public final class UsersFile {
    private static final Logger LOG = LoggerFactory.getLogger(UsersFile.class);
    static final long CHECK_INTERVAL_MS = 1_000;

    /** The users and roles in force: the configuration's and the file's. */
    public record Contents(Map<String, PasswordHash> users, Roles roles) {
    }

    private final Path path;
    private final Map<String, PasswordHash> baseUsers;
    private final Roles baseRoles;
    private volatile Object seen;
    private long timer = -1;

    /** @param baseUsers the users of the broker's configuration, {@code baseRoles} their roles */
    public UsersFile(Path path, Map<String, PasswordHash> baseUsers, Roles baseRoles) {
        this.path = path;
        this.baseUsers = Map.copyOf(baseUsers);
        this.baseRoles = baseRoles;
    }

    /**
     * Reads the file (blocking).
     *
     * @throws IOException              when it cannot be read
     * @throws IllegalArgumentException naming the key, for a key other than a user's or a bad hash
     */
    public Contents read() throws IOException {
        Object stamp = stamp();
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path)) {
            p.load(r);
        }
        Map<String, PasswordHash> users = new HashMap<>(baseUsers);
        Map<String, String> roleLines = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key);
            if (Roles.isRolesKey(key)) {
                roleLines.put(key, value);
            } else if (key.startsWith(Roles.USER_PREFIX) && key.length() > Roles.USER_PREFIX.length()) {
                try {
                    users.put(key.substring(Roles.USER_PREFIX.length()), PasswordHash.parse(value));
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException(path + ": " + key + ": " + bad.getMessage());
                }
            } else {
                throw new IllegalArgumentException(path + ": '" + key + "' is not a user.<name> or"
                        + " user.<name>.roles line");
            }
        }
        seen = stamp;
        return new Contents(Map.copyOf(users), baseRoles.with(roleLines));
    }

    /** Checks the file every second from now on and hands {@code changed} what it says after each change. */
    public void watch(Vertx vertx, Consumer<Contents> changed) {
        timer = vertx.setPeriodic(CHECK_INTERVAL_MS, t -> vertx.executeBlocking(() -> {
            Object now = stamp();
            return now == null || now.equals(seen) ? null : read();
        }, true).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("users file {} not applied, the users and roles in force stay: {}", path,
                        ar.cause().getMessage());
                seen = safeStamp();
            } else if (ar.result() != null) {
                LOG.info("users file {} read again: {} user(s)", path, ar.result().users().size());
                changed.accept(ar.result());
            }
        }));
    }

    public void close(Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private Object stamp() throws IOException {
        if (!Files.exists(path)) {
            return null;
        }
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
    }

    private Object safeStamp() {
        try {
            return stamp();
        } catch (IOException e) {
            return null;
        }
    }
}
