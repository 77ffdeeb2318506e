package io.steward.server.gdpr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.audit.AuditService;
import io.steward.server.db.Database;
import io.steward.server.db.Tx;
import io.steward.server.error.ServiceException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Everything the platform holds about one person as one machine-readable JSON document
 * (GDPR Art. 15 access and Art. 20 portability): profile, enrolments, communications, sessions,
 * e-mail logs, GDPR requests, staff sign-ins and tokens, and the audit entries about them.
 */
public final class SubjectExportService {
    public static final int SCHEMA_VERSION = 1;

    private final Database db;
    private final SubjectDataRepository data;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final AuditService audit;

    public SubjectExportService(
            Database db, SubjectDataRepository data, AuditService audit, Clock clock, ObjectMapper mapper) {
        this.db = db;
        this.audit = audit;
        this.data = data;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** The document and its SHA-256, the evidence kept when a request is answered with it. */
    public record Export(byte[] json, String sha256) {}

    public Export export(UUID subject) {
        return db.read(tx -> export(tx, subject));
    }

    boolean subjectExists(Tx tx, UUID subject) throws SQLException {
        return data.profile(tx, subject) != null;
    }

    Export export(Tx tx, UUID subject) throws SQLException {
        Map<String, Object> profile = data.profile(tx, subject);
        if (profile == null) {
            throw new ServiceException.NotFound("no user with id " + subject);
        }
        var document = new LinkedHashMap<String, Object>();
        document.put("schemaVersion", SCHEMA_VERSION);
        document.put(
                "generatedAt", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        document.put("subjectId", subject.toString());
        document.put("profile", profile);
        for (var section : SubjectDataRepository.SECTIONS) {
            var rows = data.section(tx, section, subject);
            if (section.name().equals("auditEntries")) {
                for (var row : rows) {
                    if (row.get("details") instanceof String stored) {
                        row.put("details", audit.readableDetails(tx, subject, stored));
                    }
                }
            }
            document.put(section.name(), rows);
        }
        try {
            byte[] json = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
            return new Export(
                    json,
                    HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(json)));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("export could not be written", e);
        }
    }
}
