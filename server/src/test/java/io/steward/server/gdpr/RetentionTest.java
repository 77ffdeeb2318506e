package io.steward.server.gdpr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.TestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetentionTest {
    TestServer server;
    String admin;

    @BeforeEach
    void start() throws Exception {
        // eight years ago: the staff accounts and a sign-in that the audit trail recorded then
        server = TestServer.startedAgo("retention", Duration.ofDays(8 * 365));
        server.login(TestServer.AUDITOR);
        server.clock.advance(Duration.ofDays(8 * 365));
        admin = server.tokenFor(Role.ADMIN);
        server.db.inTransaction(tx -> {
            try (var s = tx.connection().createStatement()) {
                s.execute("INSERT INTO user_sessions (id, user_id, started_at) SELECT gen_random_uuid(), id,"
                        + " now() - interval '400 days' FROM users");
                s.execute("INSERT INTO user_sessions (id, user_id, started_at) SELECT gen_random_uuid(), id,"
                        + " now() - interval '10 days' FROM users");
                s.execute("INSERT INTO email_logs (id, user_id, to_address, template, status, sent_at) SELECT"
                        + " gen_random_uuid(), id, email, 'welcome', 'sent', now() - interval '800 days' FROM users");
            }
            return null;
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Map<String, Long> run(boolean dryRun) throws Exception {
        try (Response r = server.call("POST", "/api/v1/gdpr/retention/run?dryRun=" + dryRun, admin, null)) {
            String text = r.body().string();
            assertThat(r.code()).as(text).isEqualTo(200);
            JsonNode report = server.mapper.readTree(text);
            assertThat(report.get("dryRun").asBoolean()).isEqualTo(dryRun);
            var rows = new HashMap<String, Long>();
            report.get("tables")
                    .forEach(
                            t -> rows.put(t.get("table").asText(), t.get("rows").asLong()));
            return rows;
        }
    }

    long count(String sql) {
        return server.db.read(tx -> {
            try (var rs = tx.connection().createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void aDryRunCountsAndDeletesNothing() throws Exception {
        long audit = count("SELECT count(*) FROM audit_log");
        Map<String, Long> found = run(true);
        assertThat(found.get("user_sessions")).isEqualTo(4);
        assertThat(found.get("email_logs")).isEqualTo(4);
        assertThat(found.get("audit_log")).isPositive();
        assertThat(count("SELECT count(*) FROM user_sessions")).isEqualTo(8);
        assertThat(count("SELECT count(*) FROM audit_log")).isEqualTo(audit);
    }

    @Test
    void aRealRunDeletesWhatIsTooOldAuditsItAndTheChainStillVerifies() throws Exception {
        long oldAudit = run(true).get("audit_log");
        Map<String, Long> removed = run(false);
        assertThat(removed.get("user_sessions")).isEqualTo(4);
        assertThat(removed.get("audit_log")).isEqualTo(oldAudit);
        assertThat(count("SELECT count(*) FROM user_sessions")).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM email_logs")).isZero();
        assertThat(count("SELECT count(*) FROM audit_log WHERE at < now() - interval '7 years'"))
                .isZero();
        try (Response r = server.call("GET", "/api/v1/audit/verify", admin, null)) {
            JsonNode verify = server.json(r);
            assertThat(verify.get("valid").asBoolean()).as(verify.toString()).isTrue();
        }
        assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'gdpr.retention_run'"))
                .isEqualTo(1);
        assertThat(run(false).get("user_sessions"))
                .as("a second run finds nothing more")
                .isZero();
    }

    @Test
    void otherwiseTheAuditTrailStillRefusesDeletes() {
        assertThatThrownBy(() -> server.db.inTransaction(
                        tx -> tx.connection().createStatement().execute("DELETE FROM audit_log")))
                .as("the server's role")
                .rootCause()
                .hasMessageContaining("permission denied for table audit_log");
        assertThatThrownBy(() -> io.steward.server.testsupport.TestDatabase.asOwner(server.db, "DELETE FROM audit_log"))
                .as("the owner, through the trigger")
                .rootCause()
                .hasMessageContaining("audit_log is append-only: DELETE is not allowed");
    }

    @Test
    void retentionPoliciesAreValidated() {
        assertThat(RetentionService.parse("audit_log=3650,email_logs=30")).hasSize(2);
        assertThatThrownBy(() -> RetentionService.parse("users=10")).hasMessageContaining("retention applies to");
        assertThatThrownBy(() -> RetentionService.parse("audit_log=30")).hasMessageContaining("at least 365");
    }
}
