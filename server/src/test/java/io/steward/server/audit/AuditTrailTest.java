package io.steward.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.Role;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditTrailTest {
    TestServer server;
    String auditor;

    @BeforeEach
    void start() {
        server = TestServer.start("audit_trail");
        auditor = server.tokenFor(Role.AUDITOR);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    JsonNode get(String path) throws Exception {
        try (Response r = server.call("GET", path, auditor, null)) {
            String text = r.body().string();
            assertThat(r.code()).as(text).isEqualTo(200);
            return server.mapper.readTree(text);
        }
    }

    void sql(String statement) {
        server.db.inTransaction(tx -> tx.connection().createStatement().execute(statement));
    }

    /**
     * The tables' owner can switch the append-only guard off, as a hostile operator with the owner's
     * credentials could (the server's own role cannot).
     */
    void tamper(String statement) {
        TestDatabase.asOwner(server.db, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete");
        try {
            TestDatabase.asOwner(server.db, statement);
        } finally {
            TestDatabase.asOwner(server.db, "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete");
        }
    }

    @Test
    void anIntactChainVerifies() throws Exception {
        JsonNode result = get("/api/v1/audit/verify");
        assertThat(result.get("valid").asBoolean()).isTrue();
        assertThat(result.get("checked").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(result.get("firstBrokenId").isNull()).isTrue();
    }

    @Test
    void anEditedRowIsFound() throws Exception {
        String target =
                get("/api/v1/audit?type=auth.login&limit=1").at("/items/0/id").asText();
        tamper("UPDATE audit_log SET details = details || '{\"ip\": \"10.6.6.6\"}' WHERE id = '" + target + "'");
        JsonNode result = get("/api/v1/audit/verify");
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("firstBrokenId").asText()).isEqualTo(target);
    }

    @Test
    void aDeletedRowBreaksTheLinkAfterIt() throws Exception {
        List<String> ids = new ArrayList<>();
        server.db.read(tx -> {
            try (var rs = tx.connection().createStatement().executeQuery("SELECT id FROM audit_log ORDER BY seq")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return null;
        });
        tamper("DELETE FROM audit_log WHERE id = '" + ids.get(0) + "'");
        JsonNode result = get("/api/v1/audit/verify");
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("firstBrokenId").asText()).isEqualTo(ids.get(1));
    }

    @Test
    void anInsertedRowIsFound() throws Exception {
        sql("INSERT INTO audit_log (id, at, action, prev_hash, hash) SELECT gen_random_uuid(), now(), 'forged',"
                + " hash, sha256(hash) FROM audit_log ORDER BY seq DESC LIMIT 1");
        JsonNode result = get("/api/v1/audit/verify");
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(get("/api/v1/audit?type=forged").at("/items/0/id").asText())
                .isEqualTo(result.get("firstBrokenId").asText());
    }

    @Test
    void fiftyConcurrentWritersKeepOneChain() throws Exception {
        // fifty audited writes at once: users created by support (sign-ins from one address are
        // bounded, so they are not the writers here)
        String support = server.login(TestServer.SUPPORT);
        try (var pool = Executors.newFixedThreadPool(50)) {
            List<Future<Integer>> writes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                var body =
                        Map.of("email", "writer-" + i + "@academy.example", "name", "Writer " + i, "role", "student");
                writes.add(pool.submit(() -> server.status("POST", "/api/v1/users", support, body)));
            }
            for (Future<Integer> write : writes) {
                assertThat(write.get()).isEqualTo(201);
            }
        }
        JsonNode result = get("/api/v1/audit/verify");
        assertThat(result.get("valid").asBoolean()).isTrue();
        long forks = server.db.read(tx -> {
            try (var rs = tx.connection()
                    .createStatement()
                    .executeQuery("SELECT count(*) - count(DISTINCT prev_hash) FROM audit_log")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(forks).as("two entries pointing at one predecessor").isZero();
        assertThat(result.get("checked").asLong()).isGreaterThanOrEqualTo(52);
    }

    @Test
    void theTrailPagesNewestFirstAndFilters() throws Exception {
        for (int i = 0; i < 6; i++) {
            server.login(TestServer.ADMIN);
        }
        var seen = new HashSet<String>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = get("/api/v1/audit?type=auth.login&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(e -> {
                assertThat(e.get("action").asText()).isEqualTo("auth.login");
                assertThat(e.get("hash").asText()).hasSize(64);
                assertThat(seen.add(e.get("id").asText())).isTrue();
            });
            cursor = page.get("nextCursor").isNull()
                    ? null
                    : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSizeGreaterThanOrEqualTo(7);
        assertThat(pages).isGreaterThanOrEqualTo(4);
        try (Response r =
                server.call("GET", "/api/v1/audit?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z", auditor, null)) {
            assertThat(r.code()).isEqualTo(400);
            assertThat(server.json(r).at("/error/field").asText()).isEqualTo("to");
        }
    }
}
