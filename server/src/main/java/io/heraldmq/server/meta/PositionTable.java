package io.heraldmq.server.meta;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** SQL of the {@code positions} table. Runs on the store's JDBC thread only; the caller commits. */
final class PositionTable {
    private PositionTable() {
    }

    static Map<Integer, Position> load(Connection c, String subscriptionId) throws SQLException {
        Map<Integer, Position> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT partition_id, committed_offset, acked_ranges"
                + " FROM positions WHERE subscription_id = ?")) {
            ps.setString(1, subscriptionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long committed = rs.getLong(2);
                    out.put(rs.getInt(1), new Position(committed, AckedRanges.decode(committed, rs.getBytes(3))));
                }
            }
        }
        return out;
    }

    /** Every stored position, by subscription id and partition. */
    static Map<String, Map<Integer, Position>> loadAll(Connection c) throws SQLException {
        Map<String, Map<Integer, Position>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT subscription_id, partition_id, committed_offset,"
                + " acked_ranges FROM positions");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long committed = rs.getLong(3);
                out.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                        .put(rs.getInt(2), new Position(committed, AckedRanges.decode(committed, rs.getBytes(4))));
            }
        }
        return out;
    }

    /** Upserts the whole batch as one JDBC batch; returns the number of rows written. */
    static int merge(Connection c, Map<PositionKey, Position> batch) throws SQLException {
        if (batch.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO positions (subscription_id, partition_id,"
                + " committed_offset, acked_ranges) KEY (subscription_id, partition_id) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<PositionKey, Position> e : batch.entrySet()) {
                ps.setString(1, e.getKey().subscriptionId());
                ps.setInt(2, e.getKey().partition());
                ps.setLong(3, e.getValue().committedOffset());
                ps.setBytes(4, AckedRanges.encode(e.getValue()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return batch.size();
    }
}
