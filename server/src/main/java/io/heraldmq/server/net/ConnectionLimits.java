package io.heraldmq.server.net;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts client connections in total, per source address and per user, against {@link LimitSettings}. A socket
 * counts from the moment it is accepted (so that sockets that never send CONNECT count too) until it closes; it
 * counts for its user from {@link #admitUser} on. Refusals are decided when CONNECT arrives, so the client gets an
 * ERROR it can show instead of a socket closed without a word. Any thread.
 */
public final class ConnectionLimits {
    private final LimitSettings settings;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final Map<String, Integer> perUser = new ConcurrentHashMap<>();
    /** The user each admitted connection counts for ("" = anonymous). */
    private final Map<ClientConnection, String> users = new ConcurrentHashMap<>();

    public ConnectionLimits(LimitSettings settings) {
        this.settings = settings;
    }

    /** A socket was accepted. */
    void opened(ClientConnection c) {
        total.incrementAndGet();
        perAddress.merge(c.remoteHost(), 1, Integer::sum);
    }

    /** A socket opened with {@link #opened} closed. */
    void closed(ClientConnection c) {
        total.decrementAndGet();
        perAddress.computeIfPresent(c.remoteHost(), (k, n) -> n <= 1 ? null : n - 1);
        String user = users.remove(c);
        if (user != null) {
            perUser.computeIfPresent(user, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /**
     * Checks the total and per-address limits for a connection that sent CONNECT (it counts itself).
     *
     * @return null if admitted, else why not, naming the limit
     */
    public String admit(ClientConnection c) {
        int max = settings.maxConnections();
        int n = total.get();
        if (max > 0 && n > max) {
            return "the broker has " + (n - 1) + " connections, its limit (" + LimitSettings.MAX_CONNECTIONS_KEY
                    + " = " + max + ")";
        }
        int maxPerAddress = settings.maxConnectionsPerAddress();
        int fromAddress = perAddress.getOrDefault(c.remoteHost(), 0);
        if (maxPerAddress > 0 && fromAddress > maxPerAddress) {
            return "address " + c.remoteHost() + " has " + (fromAddress - 1) + " connections, the limit ("
                    + LimitSettings.MAX_CONNECTIONS_PER_ADDRESS_KEY + " = " + maxPerAddress + ")";
        }
        return null;
    }

    /**
     * Counts an authenticated connection for its user, unless the user is at {@code max.connections.per.user}.
     *
     * @param user the user; null = anonymous (all anonymous connections count as one user)
     * @return null if admitted (and counted), else why not, naming the limit
     */
    public String admitUser(ClientConnection c, String user) {
        String key = user == null ? "" : user;
        int max = settings.maxConnectionsPerUser();
        boolean[] admitted = {true};
        perUser.compute(key, (k, n) -> {
            int count = n == null ? 0 : n;
            if (max > 0 && count >= max) {
                admitted[0] = false;
                return n;
            }
            return count + 1;
        });
        if (!admitted[0]) {
            return "user " + (user == null ? "(anonymous)" : "'" + user + "'") + " has " + max
                    + " connections, the limit (" + LimitSettings.MAX_CONNECTIONS_PER_USER_KEY + " = " + max + ")";
        }
        users.put(c, key);
        return null;
    }

    /** Connections open now (accepted, not yet closed). */
    public int open() {
        return total.get();
    }
}
