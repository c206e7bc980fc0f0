package io.heraldmq.server.meta;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** SQL of the {@code topics} table. Runs on the store's JDBC thread only; the caller commits. */
final class TopicTable {
    private TopicTable() {
    }

    static List<TopicRecord> loadAll(Connection c) throws SQLException {
        List<TopicRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, is_queue, partitions, retention_ms,"
                + " retention_bytes, created_at FROM topics ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new TopicRecord(rs.getString(1), rs.getBoolean(2), rs.getInt(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6)));
            }
        }
        return out;
    }

    static void save(Connection c, TopicRecord t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO topics (name, is_queue, partitions,"
                + " retention_ms, retention_bytes, created_at) KEY (name) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, t.name());
            ps.setBoolean(2, t.queue());
            ps.setInt(3, t.partitions());
            ps.setLong(4, t.retentionMs());
            ps.setLong(5, t.retentionBytes());
            ps.setLong(6, t.createdAt());
            ps.executeUpdate();
        }
    }

    /** Deletes the topic, its subscriptions and their positions (no foreign keys; see V1__initial.sql). */
    static void delete(Connection c, String name) throws SQLException {
        try (PreparedStatement positions = c.prepareStatement("DELETE FROM positions WHERE subscription_id IN"
                + " (SELECT id FROM subscriptions WHERE topic = ?)");
             PreparedStatement subscriptions = c.prepareStatement("DELETE FROM subscriptions WHERE topic = ?");
             PreparedStatement topic = c.prepareStatement("DELETE FROM topics WHERE name = ?")) {
            positions.setString(1, name);
            positions.executeUpdate();
            subscriptions.setString(1, name);
            subscriptions.executeUpdate();
            topic.setString(1, name);
            topic.executeUpdate();
        }
    }
}
