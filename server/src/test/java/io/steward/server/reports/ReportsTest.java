package io.steward.server.reports;

import static io.steward.server.testsupport.ReportJson.figures;
import static io.steward.server.testsupport.ReportJson.table;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.steward.server.api.Role;
import io.steward.server.credentials.PasswordHasher;
import io.steward.server.testsupport.TestServer;
import io.steward.server.users.UserRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import okhttp3.Response;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The three reports against a fixture whose truth is known: made through the API where the API
 * makes it (GDPR requests, sign-ins, role changes, flags), planted in the tables where only time
 * makes it (alerts, health history, backups), each in a period of its own on the test clock.
 */
class ReportsTest {
    static TestServer server;
    static Instant t0;
    static LocalDate gdprFrom;
    static LocalDate gdprTo;
    static LocalDate erasureDay;
    static LocalDate accessDay;
    static LocalDate operationsDay;
    static int signInsOnAccessDay;
    static String openRecent;

    @BeforeAll
    static void fixture() throws Exception {
        server = TestServer.start("reports");
        t0 = server.clock.instant();
        gdprRequests();
        erasureAndRetention();
        accessEvents();
        operations();
        // the reports are made two days after the last period
        server.clock.advance(Duration.ofDays(2));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Ten access requests completed after 2..14 days (7) and 33, 35, 40 days (3 late), one extended, two left open. */
    static void gdprRequests() {
        gdprFrom = date(t0);
        String support = server.tokenFor(Role.SUPPORT);
        var ids = new ArrayList<String>();
        for (int i = 0; i < 10; i++) {
            ids.add(open(support, student("gdpr" + i)));
        }
        post(
                support,
                "/api/v1/gdpr/requests/" + ids.getFirst() + "/extend",
                Map.of("months", 1, "reason", "identity documents pending"),
                200);
        for (String id : ids) {
            post(support, "/api/v1/gdpr/requests/" + id + "/verify", Map.of("note", "ID seen"), 200);
        }
        server.clock.advance(Duration.ofDays(1));
        open(server.tokenFor(Role.SUPPORT), student("open-overdue"));
        int[] days = {2, 4, 6, 8, 10, 12, 14, 33, 35, 40};
        int elapsed = 1;
        for (int i = 0; i < ids.size(); i++) {
            server.clock.advance(Duration.ofDays(days[i] - elapsed));
            elapsed = days[i];
            post(
                    server.tokenFor(Role.SUPPORT),
                    "/api/v1/gdpr/requests/" + ids.get(i) + "/complete",
                    Map.of("note", "answered"),
                    200);
        }
        server.clock.advance(Duration.ofDays(39 - elapsed));
        openRecent = open(server.tokenFor(Role.SUPPORT), student("open-recent"));
        server.clock.advance(Duration.ofDays(1));
        gdprTo = date(server.clock.instant());
    }

    /** One erasure (four eyes), one retention run that removes one old sign-in attempt. */
    static void erasureAndRetention() {
        server.clock.advance(Duration.ofDays(1));
        erasureDay = date(server.clock.instant());
        server.db.inTransaction(tx -> {
            try (var ps = tx.connection()
                    .prepareStatement(
                            "INSERT INTO login_attempts (email, ip_address, at, success) VALUES ('old@example.org', '10.0.0.1', ?, false)")) {
                ps.setTimestamp(1, Timestamp.from(server.clock.instant().minus(Duration.ofDays(400))));
                ps.executeUpdate();
            }
            return null;
        });
        String support = server.tokenFor(Role.SUPPORT);
        String admin = server.tokenFor(Role.ADMIN);
        String id;
        try (Response r = server.call(
                "POST",
                "/api/v1/gdpr/requests",
                support,
                Map.of("userId", student("erased"), "type", "erasure", "note", "by e-mail"))) {
            assertThat(r.code()).isEqualTo(201);
            id = server.json(r).get("id").asText();
        }
        post(support, "/api/v1/gdpr/requests/" + id + "/verify", Map.of("note", "ID seen"), 200);
        post(admin, "/api/v1/gdpr/requests/" + id + "/approve", Map.of("note", "ok"), 200);
        post(support, "/api/v1/gdpr/requests/" + id + "/complete", Map.of("note", "done"), 200);
        post(admin, "/api/v1/gdpr/retention/run?dryRun=false", null, 200);
    }

    /**
     * One day of access events: 2 sign-ins, 7 failed ones (5 of them lock the auditor out), one
     * attempt refused while locked, a staff account created and given another role, then
     * deactivated; and a staff account nobody has used for 200 days.
     */
    static void accessEvents() {
        server.clock.advance(Duration.ofDays(8));
        accessDay = date(server.clock.instant());
        String admin = server.login(TestServer.ADMIN);
        String id;
        try (Response r = server.call(
                "POST",
                "/api/v1/users",
                admin,
                Map.of(
                        "email",
                        "newstaff@test.example",
                        "name",
                        "New Staff",
                        "role",
                        "support",
                        "password",
                        TestServer.PASSWORD))) {
            assertThat(r.code()).isEqualTo(201);
            id = server.json(r).get("id").asText();
        }
        patch(admin, id, Map.of("role", "auditor"));
        patch(admin, id, Map.of("active", false));
        for (int i = 0; i < 2; i++) {
            failLogin(TestServer.SUPPORT, 401);
        }
        for (int i = 0; i < 5; i++) {
            failLogin(TestServer.AUDITOR, 401);
        }
        try (Response r = server.call(
                "POST",
                "/api/v1/auth/login",
                null,
                Map.of("email", TestServer.AUDITOR, "password", TestServer.PASSWORD))) {
            assertThat(r.code()).isEqualTo(429);
        }
        server.login(TestServer.SUPPORT);
        signInsOnAccessDay = 2;
        var hasher = new PasswordHasher();
        server.db.inTransaction(tx -> {
            new UserRepository()
                    .insert(
                            tx,
                            UUID.randomUUID(),
                            "dormant@test.example",
                            "Dora Mant",
                            Role.SUPPORT,
                            hasher.hash(TestServer.PASSWORD),
                            server.clock.instant().minus(Duration.ofDays(200)));
            return null;
        });
    }

    /**
     * A day of operations, planted where only time makes them: three alerts (critical 10 and 20
     * minutes, warning 30), the overall health DOWN for 36 minutes, four backups (three completed:
     * two restore tests passed, one failed; one failed); and one flag change through the API.
     */
    static void operations() {
        server.clock.advance(Duration.ofDays(10));
        operationsDay = date(server.clock.instant());
        Instant day = operationsDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        server.db.inTransaction(tx -> {
            var c = tx.connection();
            try (var ps = c.prepareStatement(
                    "INSERT INTO alert_events (id, rule_id, state, value, started_at,"
                            + " fired_at, fired_value, resolved_at, resolved_value) VALUES (?, ?::uuid, 'resolved', 1, ?, ?, 1, ?, 0)")) {
                Object[][] alerts = {
                    {"5d1c3e2a-0001-4000-8000-000000000002", 60, 10},
                    {"5d1c3e2a-0001-4000-8000-000000000002", 120, 20},
                    {"5d1c3e2a-0001-4000-8000-000000000001", 180, 30},
                };
                for (Object[] a : alerts) {
                    Instant fired = day.plus(Duration.ofMinutes((Integer) a[1]));
                    ps.setObject(1, UUID.randomUUID());
                    ps.setString(2, (String) a[0]);
                    ps.setTimestamp(3, Timestamp.from(fired.minusSeconds(60)));
                    ps.setTimestamp(4, Timestamp.from(fired));
                    ps.setTimestamp(5, Timestamp.from(fired.plus(Duration.ofMinutes((Integer) a[2]))));
                    ps.executeUpdate();
                }
            }
            try (var ps = c.prepareStatement(
                    "INSERT INTO health_history (checked_at, check_name, status, latency_ms) VALUES (?, 'overall', ?, 1)")) {
                Object[][] changes = {
                    {day.minus(Duration.ofDays(1)), "UP"},
                    {day.plus(Duration.ofHours(6)), "DOWN"},
                    // a restart during the incident records the status again: still one incident
                    {day.plus(Duration.ofHours(6)).plus(Duration.ofMinutes(20)), "DOWN"},
                    {day.plus(Duration.ofHours(6)).plus(Duration.ofMinutes(36)), "UP"}
                };
                for (Object[] change : changes) {
                    ps.setTimestamp(1, Timestamp.from((Instant) change[0]));
                    ps.setString(2, (String) change[1]);
                    ps.executeUpdate();
                }
            }
            try (var ps = c.prepareStatement(
                    "INSERT INTO health_coverage (id, started_at, seen_until) VALUES (gen_random_uuid(), ?, ?)")) {
                // Steward was stopped from 12:00 to 13:00: that hour is unknown, not up
                Instant[][] stretches = {
                    {
                        day.minus(Duration.ofDays(1)),
                        day.plus(Duration.ofHours(6)).plus(Duration.ofMinutes(20))
                    },
                    {day.plus(Duration.ofHours(6)).plus(Duration.ofMinutes(20)), day.plus(Duration.ofHours(12))},
                    {day.plus(Duration.ofHours(13)), day.plus(Duration.ofDays(2))}
                };
                for (Instant[] stretch : stretches) {
                    ps.setTimestamp(1, Timestamp.from(stretch[0]));
                    ps.setTimestamp(2, Timestamp.from(stretch[1]));
                    ps.executeUpdate();
                }
            }
            try (var ps = c.prepareStatement(
                    "INSERT INTO backups (id, status, created_at, completed_at, file_name,"
                            + " checksum, verified, verified_at, verify_reason, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                Object[][] backups = {
                    {"completed", true, true, null},
                    {"completed", true, true, null},
                    {"completed", false, true, "table users: restored data differs from the recorded checksum"},
                    {"failed", false, false, null},
                };
                int n = 0;
                for (Object[] b : backups) {
                    Instant at = day.plus(Duration.ofHours(++n));
                    boolean completed = b[0].equals("completed");
                    UUID backupId = UUID.randomUUID();
                    ps.setObject(1, backupId);
                    ps.setString(2, (String) b[0]);
                    ps.setTimestamp(3, Timestamp.from(at));
                    ps.setTimestamp(4, Timestamp.from(at.plusSeconds(30)));
                    ps.setString(5, completed ? "steward-backup-" + n + ".zip" : null);
                    ps.setString(6, completed ? "ab".repeat(32) : null);
                    ps.setBoolean(7, (Boolean) b[1]);
                    ps.setTimestamp(8, (Boolean) b[2] ? Timestamp.from(at.plus(Duration.ofMinutes(5))) : null);
                    ps.setString(9, (String) b[3]);
                    ps.setString(10, completed ? null : "cannot write the archive: disk full");
                    ps.executeUpdate();
                    if ((Boolean) b[2]) {
                        // its restore test: the first asked for by a person, the others drills;
                        // the n-th took n minutes
                        try (var test = c.prepareStatement(
                                "INSERT INTO restore_tests (id, backup_id, trigger, started_at, duration_ms,"
                                        + " recovery_point, verified, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                            test.setObject(1, UUID.randomUUID());
                            test.setObject(2, backupId);
                            test.setString(3, n == 1 ? "manual" : "drill");
                            test.setTimestamp(4, Timestamp.from(at.plus(Duration.ofMinutes(5))));
                            test.setLong(5, Duration.ofMinutes(n).toMillis());
                            test.setTimestamp(6, Timestamp.from(at));
                            test.setBoolean(7, (Boolean) b[1]);
                            test.setString(8, (String) b[3]);
                            test.executeUpdate();
                        }
                    }
                }
            }
            return null;
        });
        try (Response r = server.call(
                "PUT",
                "/api/v1/flags/new-checkout",
                server.tokenFor(Role.ADMIN),
                Map.of("enabled", true, "percentage", 25, "description", "the new checkout"))) {
            assertThat(r.code()).isIn(200, 201);
        }
    }

    // ------------------------------------------------------------------------------------------

    @Test
    void gdprFiguresMatchTheFixture() {
        JsonNode report = report("gdpr", gdprFrom, gdprTo);
        Map<String, JsonNode> f = figures(report);
        assertThat(f.get("gdpr.received").asLong()).isEqualTo(12);
        assertThat(f.get("gdpr.completed").asLong()).isEqualTo(10);
        assertThat(f.get("gdpr.completed.late").asLong()).isEqualTo(3);
        assertThat(f.get("gdpr.completed.ontime").asLong()).isEqualTo(7);
        assertThat(f.get("gdpr.late.percent").asDouble()).isEqualTo(30.0);
        assertThat(f.get("gdpr.median.days").asDouble()).isEqualTo(11.0);
        assertThat(f.get("gdpr.open").asLong()).isEqualTo(2);
        assertThat(f.get("gdpr.overdue").asLong()).isEqualTo(1);
        assertThat(f.get("gdpr.extensions").asLong()).isEqualTo(1);
        // the reason is about a person: the report says one was given, never what it says
        assertThat(table(report, "gdpr.extensions").get(0).get(5).asText()).isEqualTo("reason given (26 characters)");
        assertThat(report.toString()).doesNotContain("identity documents pending");
        // access: 2 received (still open), 10 completed
        JsonNode access = table(report, "gdpr.types").get(0);
        assertThat(access.get(0).asText()).isEqualTo("access");
        assertThat(access.get(1).asLong()).isEqualTo(2);
        assertThat(access.get(4).asLong()).isEqualTo(10);
        assertThat(access.get(6).asLong()).isEqualTo(12);
        assertThat(f.get("erasures").asLong()).isZero();
        // records of processing list the configured retention
        assertThat(table(report, "processing").toString()).contains("login_attempts: 365 days", "email_logs: 730 days");

        Map<String, JsonNode> storage = figures(report("gdpr", erasureDay, erasureDay));
        assertThat(storage.get("erasures").asLong()).isEqualTo(1);
        assertThat(storage.get("retention.runs").asLong()).isEqualTo(1);
        assertThat(storage.get("retention.removed").asLong()).isEqualTo(1);
        assertThat(storage.get("gdpr.received").asLong()).isEqualTo(1);
    }

    @Test
    void soc2LogicalAccessMatchesTheFixture() {
        JsonNode report = report("soc2", accessDay, accessDay);
        Map<String, JsonNode> f = figures(report);
        assertThat(f.get("signins").asLong()).isEqualTo(signInsOnAccessDay);
        assertThat(f.get("signins.failed").asLong()).isEqualTo(7);
        assertThat(f.get("lockouts").asLong()).isEqualTo(1);
        assertThat(f.get("signins.refused.locked").asLong()).isEqualTo(1);
        assertThat(f.get("deactivated").asLong()).isEqualTo(1);
        assertThat(f.get("privileged.changes").asLong()).isEqualTo(2);
        JsonNode changes = table(report, "privileged.changes");
        assertThat(changes.get(0).get(1).asText()).isEqualTo(TestServer.ADMIN);
        assertThat(changes.get(0).get(2).asText()).isEqualTo("newstaff@test.example");
        assertThat(changes.get(0).get(5).asText()).isEqualTo("support");
        assertThat(changes.get(1).get(4).asText()).isEqualTo("support");
        assertThat(changes.get(1).get(5).asText()).isEqualTo("auditor");
        assertThat(f.get("dormant").asLong()).isEqualTo(1);
        assertThat(table(report, "access.review").get(0).get(0).asText()).isEqualTo("dormant@test.example");
        assertThat(f.get("staff.active").asLong()).isEqualTo(4);
        assertThat(table(report, "staff.roles").toString())
                .isEqualTo("[[\"admin\",1,0],[\"auditor\",1,1],[\"support\",2,0]]");
        assertThat(f.get("audit.chain.valid").asBoolean()).isTrue();
        // the chain was walked for this generation, just before "report.generated" was appended
        assertThat(report.at("/generation/auditChainCheck/checked").asLong()).isEqualTo(auditRows() - 1);
        assertThat(f).doesNotContainKey("audit.chain.checked");
    }

    @Test
    void soc2OperationsAndAvailabilityMatchTheFixture() {
        JsonNode report = report("soc2", operationsDay, operationsDay);
        Map<String, JsonNode> f = figures(report);
        assertThat(f.get("alerts.fired").asLong()).isEqualTo(3);
        assertThat(f.get("alerts.resolved").asLong()).isEqualTo(3);
        assertThat(table(report, "alerts.severity").toString())
                .isEqualTo("[[\"critical\",2,2,15,15],[\"warning\",1,1,30,30]]");
        // 36 minutes DOWN in the 23 hours observed; the hour Steward was stopped is unknown
        assertThat(f.get("uptime").asDouble()).isEqualTo(97.391);
        assertThat(f.get("unknown").asLong()).isEqualTo(3600);
        assertThat(f.get("incidents").asLong()).isEqualTo(1);
        assertThat(f.get("health.incidents").asLong()).isEqualTo(1);
        assertThat(f.get("mttr").asLong()).isEqualTo(36 * 60);
        assertThat(f.get("backups.completed").asLong()).isEqualTo(3);
        assertThat(f.get("backups.failed").asLong()).isEqualTo(1);
        assertThat(f.get("backups.success").asDouble()).isEqualTo(75.0);
        assertThat(f.get("restores.passed").asLong()).isEqualTo(2);
        assertThat(f.get("restores.failed").asLong()).isEqualTo(1);
        assertThat(f.get("restores.untested").asLong()).isZero();
        assertThat(f.get("restores.drills").asLong()).isEqualTo(2);
        assertThat(f.get("restores.drills.failed").asLong()).isEqualTo(1);
        assertThat(f.get("restores.duration.median").asDouble()).isEqualTo(120.0);
        assertThat(f.get("restores.duration.max").asDouble()).isEqualTo(180.0);
        // proven by the second backup's test (2 h 5 min + 2 min into the day), by none after it
        Instant day = operationsDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant lastProof = day.plus(Duration.ofHours(2).plusMinutes(7));
        Instant end = day.plus(Duration.ofDays(1));
        Instant now = server.clock.instant();
        double expected =
                Duration.between(lastProof, now.isBefore(end) ? now : end).toSeconds() / 86_400.0;
        assertThat(f.get("restores.unproven.longest").asDouble())
                .isCloseTo(Math.max(expected, 61 / 1440.0), org.assertj.core.api.Assertions.within(0.051));
        assertThat(table(report, "restore-tests")).hasSize(3);
        assertThat(table(report, "incidents")).hasSize(1);
    }

    @Test
    void iso27001MapsTheSameEvidenceToAnnexA() {
        JsonNode report = report("iso27001", operationsDay, operationsDay);
        var ids = new ArrayList<String>();
        report.get("sections").forEach(s -> ids.add(s.get("id").asText()));
        assertThat(ids).containsExactly("A.5.15-5.18", "A.8.15", "A.8.16", "A.8.13", "A.5.34", "A.8.32");
        Map<String, JsonNode> f = figures(report);
        assertThat(f.get("backups.success").asDouble()).isEqualTo(75.0);
        assertThat(f.get("alerts.fired").asLong()).isEqualTo(3);
        assertThat(f.get("alert.rules").asLong()).as("the six built-in rules").isEqualTo(6);
        assertThat(f.get("restores.drills").asLong()).isEqualTo(2);
        assertThat(table(report, "restore-tests")).hasSize(3);
        assertThat(f.get("flags.changes").asLong()).isEqualTo(1);
        assertThat(f.get("migrations.total").asLong()).isEqualTo(migrations());
        assertThat(f.get("migrations.failed").asLong()).isZero();
        assertThat(f.get("audit.chain.valid").asBoolean()).isTrue();
    }

    @Test
    void everyReportCarriesItsSignedGenerationAndTheSha256OfItsEvidence() throws Exception {
        JsonNode report = report("soc2", accessDay, accessDay);
        JsonNode generation = report.get("generation");
        assertThat(generation.get("generatedBy").get("email").asText()).isEqualTo(TestServer.ADMIN);
        assertThat(generation.get("serverVersion").asText()).isNotBlank();
        assertThat(report.get("period").get("from").asText()).isEqualTo(accessDay.toString());
        assertThat(Instant.parse(generation.get("generatedAt").asText()))
                .isEqualTo(server.clock.instant().truncatedTo(ChronoUnit.NANOS));
        assertThat(report.has("generatedAt"))
                .as("the moment is the generation's, not the evidence's")
                .isFalse();
        // anyone can check the digest: drop sha256 and generation, sort the keys, no spaces, SHA-256
        ObjectMapper canonical = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = canonical.convertValue(report, TreeMap.class);
        String claimed = (String) tree.remove("sha256");
        @SuppressWarnings("unchecked")
        Map<String, Object> made = (Map<String, Object>) tree.remove("generation");
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(canonical.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8));
        assertThat(HexFormat.of().formatHex(digest)).isEqualTo(claimed);
        // and the generation with the digest, under the server's audit key
        String signature = (String) made.remove("signature");
        byte[] signed = canonical
                .writeValueAsString(new TreeMap<>(Map.of("generation", made, "sha256", claimed)))
                .getBytes(StandardCharsets.UTF_8);
        JsonNode key;
        try (Response r = server.call("GET", "/api/v1/audit/public-key", server.tokenFor(Role.ADMIN), null)) {
            key = server.json(r);
        }
        assertThat(generation.get("keyId").asText()).isEqualTo(key.get("keyId").asText());
        var verifier = java.security.Signature.getInstance("Ed25519");
        verifier.initVerify(java.security.KeyFactory.getInstance("Ed25519")
                .generatePublic(new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder()
                        .decode(key.get("publicKey").asText()))));
        verifier.update(signed);
        assertThat(verifier.verify(java.util.Base64.getDecoder().decode(signature)))
                .as("the generation's signature")
                .isTrue();
        // and generating it is audited, with that hash
        long generations = server.db.read(tx -> {
            try (var s = tx.connection()
                    .prepareStatement(
                            "SELECT count(*) FROM audit_log WHERE action = 'report.generated' AND details ->> 'sha256' = ?")) {
                s.setString(1, claimed);
                try (var rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        assertThat(generations).isEqualTo(1);
    }

    @Test
    void theCsvIsOneFlatTableWithTheFiguresAndNoFormulas() throws Exception {
        // a reason typed by staff that a spreadsheet would run as a formula; no cell may start like one
        post(
                server.tokenFor(Role.SUPPORT),
                "/api/v1/gdpr/requests/" + openRecent + "/extend",
                Map.of("months", 1, "reason", "=HYPERLINK(\"http://evil.example\",\"x\")"),
                200);
        LocalDate today = date(server.clock.instant());
        String csv;
        try (Response r = server.call(
                "GET",
                "/api/v1/reports/gdpr?from=" + today + "&to=" + today + "&format=csv",
                server.tokenFor(Role.AUDITOR),
                null)) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("text/csv");
            assertThat(r.header("Content-Disposition")).contains("steward-gdpr-" + today);
            csv = r.body().string();
        }
        var mapper = new CsvMapper();
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(csv)) {
            it.forEachRemaining(rows::add);
        }
        assertThat(rows.getFirst().keySet()).containsExactlyElementsOf(ReportCsv.HEADER);
        assertThat(rows).anySatisfy(row -> {
            assertThat(row.get("item")).isEqualTo("gdpr.extensions");
            assertThat(row.get("kind")).isEqualTo("figure");
            assertThat(row.get("value")).isEqualTo("1");
        });
        assertThat(rows).anySatisfy(row -> {
            assertThat(row.get("field")).isEqualTo("sha256");
            assertThat(row.get("value")).matches("[0-9a-f]{64}");
        });
        for (var row : rows) {
            for (String cell : row.values()) {
                assertThat(cell).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("@");
                if (cell.startsWith("-")) {
                    assertThat(cell).matches("-[0-9.]+");
                }
            }
        }
        // the reason is about a person: withheld from the report altogether
        assertThat(csv).doesNotContain("HYPERLINK");
    }

    @Test
    void thePdfIsARealDocumentWithTheHeadlineFigures() throws Exception {
        byte[] pdf;
        try (Response r = server.call(
                "GET",
                "/api/v1/reports/gdpr?from=" + gdprFrom + "&to=" + gdprTo + "&format=pdf",
                server.tokenFor(Role.ADMIN),
                null)) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("application/pdf");
            pdf = r.body().bytes();
        }
        try (var document = Loader.loadPDF(pdf)) {
            assertThat(document.getNumberOfPages()).isGreaterThanOrEqualTo(4);
            assertThat(document.getDocumentInformation().getTitle()).isEqualTo("GDPR compliance report");
            // table cells wrap their text: compare with runs of white space as one space
            String text = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
            java.nio.file.Files.write(java.nio.file.Path.of("target", "gdpr-report.pdf"), pdf);
            assertThat(text)
                    .contains("GDPR compliance report", "Records of processing activities (Art. 30)")
                    .contains("Completed late", "Share completed late", "30 %", "11 days")
                    .contains("reason given (26 characters)")
                    .doesNotContain("identity documents pending")
                    .contains("page 1 of " + document.getNumberOfPages())
                    .contains("page " + document.getNumberOfPages() + " of " + document.getNumberOfPages());
            var firstPage = new PDFTextStripper();
            firstPage.setStartPage(1);
            firstPage.setEndPage(1);
            String title = firstPage.getText(document).replaceAll("\\s+", " ");
            assertThat(title)
                    .contains("Generated by", TestServer.ADMIN, "SHA-256 of the evidence (JSON form)", "Contents");
        }
    }

    @Test
    void theDefaultPeriodIsTheLastFullQuarter() {
        JsonNode report;
        try (Response r = server.call("GET", "/api/v1/reports/gdpr", server.tokenFor(Role.AUDITOR), null)) {
            assertThat(r.code()).isEqualTo(200);
            report = server.json(r);
        }
        LocalDate today = date(server.clock.instant());
        LocalDate quarter = today.withDayOfMonth(1).withMonth((today.getMonthValue() - 1) / 3 * 3 + 1);
        assertThat(report.get("period").get("from").asText())
                .isEqualTo(quarter.minusMonths(3).toString());
        assertThat(report.get("period").get("to").asText())
                .isEqualTo(quarter.minusDays(1).toString());
    }

    @ParameterizedTest
    @CsvSource({
        "soc2?from=2026-13-01&to=2026-12-31, from",
        "soc2?from=2026-01-01&to=yesterday, to",
        "soc2?from=2026-03-01&to=2026-01-01, from",
        "soc2?to=2026-01-01, from",
        "soc2?from=2026-01-01&to=2026-02-01&format=docx, format",
        "gdpr?from=1999-12-31&to=2026-01-01, from",
    })
    void badParametersAnswer400NamingThem(String query, String field) {
        try (Response r = server.call("GET", "/api/v1/reports/" + query, server.tokenFor(Role.ADMIN), null)) {
            JsonNode error = server.json(r).get("error");
            assertThat(r.code()).as(error.toString()).isEqualTo(400);
            assertThat(error.get("code").asText()).isEqualTo("VALIDATION_ERROR");
            assertThat(error.get("field").asText()).isEqualTo(field);
        }
    }

    @Test
    void anUnknownReportIs404AndSupportMayNotReadReports() {
        try (Response r = server.call("GET", "/api/v1/reports/hipaa", server.tokenFor(Role.ADMIN), null)) {
            assertThat(r.code()).isEqualTo(404);
        }
        try (Response r = server.call("GET", "/api/v1/reports/soc2", server.tokenFor(Role.SUPPORT), null)) {
            assertThat(r.code()).isEqualTo(403);
        }
    }

    // ------------------------------------------------------------------------------------------

    static JsonNode report(String type, LocalDate from, LocalDate to) {
        try (Response r = server.call(
                "GET", "/api/v1/reports/" + type + "?from=" + from + "&to=" + to, server.tokenFor(Role.ADMIN), null)) {
            JsonNode body = server.json(r);
            assertThat(r.code()).as(body.toString()).isEqualTo(200);
            return body;
        }
    }

    static LocalDate date(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    static String student(String name) {
        UUID id = UUID.randomUUID();
        server.db.inTransaction(tx -> {
            new UserRepository()
                    .insert(
                            tx,
                            id,
                            name + "@learners.example",
                            "Learner " + name,
                            Role.STUDENT,
                            null,
                            server.clock.instant());
            return null;
        });
        return id.toString();
    }

    static String open(String token, String userId) {
        try (Response r = server.call(
                "POST",
                "/api/v1/gdpr/requests",
                token,
                Map.of("userId", userId, "type", "access", "note", "by letter"))) {
            JsonNode body = server.json(r);
            assertThat(r.code()).as(body.toString()).isEqualTo(201);
            return body.get("id").asText();
        }
    }

    static void post(String token, String path, Object body, int expected) {
        try (Response r = server.call("POST", path, token, body)) {
            JsonNode json = server.json(r);
            assertThat(r.code()).as(path + " " + json).isEqualTo(expected);
        }
    }

    static void patch(String token, String id, Map<String, ?> body) {
        try (Response r = server.call("PATCH", "/api/v1/users/" + id, token, body)) {
            assertThat(r.code()).as(server.json(r).toString()).isEqualTo(200);
        }
    }

    static void failLogin(String email, int expected) {
        try (Response r = server.call(
                "POST", "/api/v1/auth/login", null, Map.of("email", email, "password", "wrong password!"))) {
            assertThat(r.code()).isEqualTo(expected);
        }
    }

    static long auditRows() {
        return server.db.read(tx -> {
            try (var s = tx.connection().createStatement();
                    var rs = s.executeQuery("SELECT count(*) FROM audit_log")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    static long migrations() {
        return server.db.appliedMigrations().size();
    }
}
