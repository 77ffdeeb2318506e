package io.steward.server.metrics;

import io.steward.server.db.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/** Counts over the platform's tables, each served by an index. */
public final class PlatformStatsRepository {

    /** The figures; NaN until first counted. */
    public record Counts(double registrationsLastHour, double gdprOpen, double gdprOverdue) {
        static final Counts UNKNOWN = new Counts(Double.NaN, Double.NaN, Double.NaN);
    }

    public Counts counts(Tx tx, Instant now) throws SQLException {
        try (PreparedStatement ps = tx.connection()
                .prepareStatement("SELECT"
                        + " (SELECT count(*) FROM users WHERE role IN ('student', 'instructor') AND created_at > ?),"
                        + " (SELECT count(*) FROM gdpr_requests WHERE status NOT IN ('completed', 'rejected')),"
                        + " (SELECT count(*) FROM gdpr_requests WHERE status NOT IN ('completed', 'rejected')"
                        + "   AND coalesce(extended_until, due_at) < ?)")) {
            ps.setTimestamp(1, Timestamp.from(now.minus(Duration.ofHours(1))));
            ps.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }
}
