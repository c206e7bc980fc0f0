package io.heraldmq.server.meta;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** SQL of the {@code subscriptions} table. Runs on the store's JDBC thread only; the caller commits. */
final class SubscriptionTable {
    private SubscriptionTable() {
    }

    static List<SubscriptionRecord> loadAll(Connection c) throws SQLException {
        List<SubscriptionRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, topic, name, client_id, durable, shared,"
                + " selector, no_local, retention_ms, created_at FROM subscriptions ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new SubscriptionRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getBoolean(5), rs.getBoolean(6), rs.getString(7), rs.getBoolean(8),
                        rs.getLong(9), rs.getLong(10)));
            }
        }
        return out;
    }

    static void save(Connection c, SubscriptionRecord s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO subscriptions (id, topic, name, client_id,"
                + " durable, shared, selector, no_local, retention_ms, created_at) KEY (id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.id());
            ps.setString(2, s.topic());
            ps.setString(3, s.name());
            ps.setString(4, s.clientId());
            ps.setBoolean(5, s.durable());
            ps.setBoolean(6, s.shared());
            ps.setString(7, s.selector());
            ps.setBoolean(8, s.noLocal());
            ps.setLong(9, s.retentionMs());
            ps.setLong(10, s.createdAt());
            ps.executeUpdate();
        }
    }

    /** Deletes the subscription and its positions. */
    static void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement positions = c.prepareStatement("DELETE FROM positions WHERE subscription_id = ?");
             PreparedStatement subscription = c.prepareStatement("DELETE FROM subscriptions WHERE id = ?")) {
            positions.setString(1, id);
            positions.executeUpdate();
            subscription.setString(1, id);
            subscription.executeUpdate();
        }
    }
}
