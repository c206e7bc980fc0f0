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
                + " retention_bytes, created_at FROM topics ORDER BY name, is_queue");
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
                + " retention_ms, retention_bytes, created_at) KEY (is_queue, name) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, t.name());
            ps.setBoolean(2, t.queue());
            ps.setInt(3, t.partitions());
            ps.setLong(4, t.retentionMs());
            ps.setLong(5, t.retentionBytes());
            ps.setLong(6, t.createdAt());
            ps.executeUpdate();
        }
    }

    /**
     * Deletes the queue or topic and its dead-letter settings; a topic also loses its subscriptions and their
     * positions (no foreign keys; see V1__initial.sql). Rows in {@code subscriptions} always belong to topics (see
     * V2__destination_kind.sql), so deleting queue "x" leaves topic "x"'s subscriptions alone.
     */
    static void delete(Connection c, boolean queue, String name) throws SQLException {
        if (!queue) {
            try (PreparedStatement positions = c.prepareStatement("DELETE FROM positions WHERE subscription_id IN"
                    + " (SELECT id FROM subscriptions WHERE topic = ?)");
                 PreparedStatement subscriptions = c.prepareStatement("DELETE FROM subscriptions WHERE topic = ?")) {
                positions.setString(1, name);
                positions.executeUpdate();
                subscriptions.setString(1, name);
                subscriptions.executeUpdate();
            }
        }
        try (PreparedStatement topic = c.prepareStatement("DELETE FROM topics WHERE is_queue = ? AND name = ?")) {
            topic.setBoolean(1, queue);
            topic.setString(2, name);
            topic.executeUpdate();
        }
        DeadLetterTable.delete(c, queue, name);
    }
}
