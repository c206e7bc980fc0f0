package io.heraldmq.server.meta;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** SQL of the {@code dead_letter_settings} table. Runs on the store's JDBC thread only; the caller commits. */
final class DeadLetterTable {
    private DeadLetterTable() {
    }

    static Optional<DeadLetterSettings> load(Connection c, boolean queue, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT is_queue, name, max_delivery_attempts,"
                + " redelivery_delay_ms, redelivery_multiplier, max_redelivery_delay_ms, dead_letter_destination"
                + " FROM dead_letter_settings WHERE is_queue = ? AND name = ?")) {
            ps.setBoolean(1, queue);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new DeadLetterSettings(rs.getBoolean(1), rs.getString(2), rs.getInt(3),
                        rs.getLong(4), rs.getDouble(5), rs.getLong(6), rs.getString(7)));
            }
        }
    }

    static void save(Connection c, DeadLetterSettings s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO dead_letter_settings (is_queue, name,"
                + " max_delivery_attempts, redelivery_delay_ms, redelivery_multiplier, max_redelivery_delay_ms,"
                + " dead_letter_destination) KEY (is_queue, name) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setBoolean(1, s.queue());
            ps.setString(2, s.name());
            ps.setInt(3, s.maxDeliveryAttempts());
            ps.setLong(4, s.redeliveryDelayMs());
            ps.setDouble(5, s.redeliveryMultiplier());
            ps.setLong(6, s.maxRedeliveryDelayMs());
            ps.setString(7, s.deadLetterDestination());
            ps.executeUpdate();
        }
    }

    static void delete(Connection c, boolean queue, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM dead_letter_settings WHERE is_queue = ?"
                + " AND name = ?")) {
            ps.setBoolean(1, queue);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }
}
