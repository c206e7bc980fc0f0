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

    static Optional<DeadLetterSettings> load(Connection c, String destination) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT destination, max_delivery_attempts,"
                + " redelivery_delay_ms, redelivery_multiplier, max_redelivery_delay_ms, dead_letter_destination"
                + " FROM dead_letter_settings WHERE destination = ?")) {
            ps.setString(1, destination);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new DeadLetterSettings(rs.getString(1), rs.getInt(2), rs.getLong(3),
                        rs.getDouble(4), rs.getLong(5), rs.getString(6)));
            }
        }
    }

    static void save(Connection c, DeadLetterSettings s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO dead_letter_settings (destination,"
                + " max_delivery_attempts, redelivery_delay_ms, redelivery_multiplier, max_redelivery_delay_ms,"
                + " dead_letter_destination) KEY (destination) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.destination());
            ps.setInt(2, s.maxDeliveryAttempts());
            ps.setLong(3, s.redeliveryDelayMs());
            ps.setDouble(4, s.redeliveryMultiplier());
            ps.setLong(5, s.maxRedeliveryDelayMs());
            ps.setString(6, s.deadLetterDestination());
            ps.executeUpdate();
        }
    }
}
