package io.steward.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.server.api.AuditCheckpoint;
import io.steward.server.api.Role;
import io.steward.server.testsupport.Conditions;
import io.steward.server.testsupport.RecordingHttpServer;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * Signed checkpoints of the chain's head, tried as a hostile operator holding the tables' owner
 * role would: a tail cut off the chain, with the checkpoint rows removed too, is reported with the
 * missing sequence numbers; a checkpoint made with another key is rejected.
 */
class AuditCheckpointTest {

    private static JsonNode get(TestServer server, String token, String path) throws Exception {
        try (Response r = server.call("GET", path, token, null)) {
            String body = r.body().string();
            assertThat(r.code()).as(body).isEqualTo(200);
            return server.mapper.readTree(body);
        }
    }

    private static void addPeople(TestServer server, String admin, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            var person = Map.of("email", prefix + i + "@test.example", "name", "Person " + i, "role", "student");
            assertThat(server.status("POST", "/api/v1/users", admin, person)).isEqualTo(201);
        }
    }

    @Test
    void aTailCutByTheOwnerIsReportedWithTheMissingEntriesEvenWithoutTheCheckpointRows() throws Exception {
        try (var server = TestServer.start("checkpoint_tail")) {
            String admin = server.tokenFor(Role.ADMIN);
            addPeople(server, admin, "tail", 4);
            AuditCheckpoint signed = server.server.auditCheckpoints().write().orElseThrow();
            assertThat(get(server, admin, "/api/v1/audit/verify").get("valid").asBoolean())
                    .isTrue();

            // the owner switches the guard off, removes the three newest entries and the checkpoints
            TestDatabase.asOwner(server.db, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete");
            TestDatabase.asOwner(server.db, "DELETE FROM audit_log WHERE seq > " + (signed.seq() - 3));
            TestDatabase.asOwner(server.db, "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete");
            TestDatabase.asOwner(server.db, "DELETE FROM audit_checkpoints");

            for (String scope : new String[] {"full", "since-checkpoint"}) {
                JsonNode verify = get(server, admin, "/api/v1/audit/verify?scope=" + scope);
                assertThat(verify.get("valid").asBoolean())
                        .as(scope + ": " + verify)
                        .isFalse();
                assertThat(verify.at("/missing/afterSeq").asLong()).as(scope).isEqualTo(signed.seq() - 3);
                assertThat(verify.at("/missing/throughSeq").asLong()).as(scope).isEqualTo(signed.seq());
                assertThat(verify.get("problems").toString())
                        .as(scope)
                        .contains("entries " + (signed.seq() - 2) + " to " + signed.seq() + " are missing");
            }
            // and the report an auditor takes says so
            JsonNode soc2 = get(server, admin, "/api/v1/reports/soc2?from=2026-01-01&to=2026-12-31");
            assertThat(figure(soc2, "audit.chain.valid").get("value").asBoolean())
                    .isFalse();
            assertThat(figure(soc2, "audit.chain.valid").get("evidence").asText())
                    .contains("are missing");
        }
    }

    @Test
    void aCheckpointSignedWithAnotherKeyIsRejected() throws Exception {
        try (var server = TestServer.start("checkpoint_forged")) {
            String admin = server.tokenFor(Role.ADMIN);
            addPeople(server, admin, "forged", 2);
            server.server.auditCheckpoints().write().orElseThrow();
            // a forger names an entry that does not exist yet, so that a real one can never match,
            // and signs it with a key of their own
            var forger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            long seq = 1_000_000;
            String hash = "ab".repeat(32);
            Instant at = Instant.parse("2026-12-01T00:00:00Z");
            var signer = Signature.getInstance("Ed25519");
            signer.initSign(forger.getPrivate());
            signer.update(AuditCheckpoints.payload(seq, hash, at, "forger"));
            String keyId =
                    get(server, admin, "/api/v1/audit/public-key").get("keyId").asText();
            TestDatabase.asOwner(
                    server.db,
                    "INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature, instance) VALUES (" + seq
                            + ", decode('" + hash + "', 'hex'), '" + at + "', '" + keyId + "', decode('"
                            + java.util.HexFormat.of().formatHex(signer.sign()) + "', 'hex'), 'forger')");

            JsonNode verify = get(server, admin, "/api/v1/audit/verify");
            assertThat(verify.get("valid").asBoolean()).as(verify.toString()).isFalse();
            assertThat(verify.get("problems").toString())
                    .contains("the checkpoint of entry " + seq)
                    .contains("is not signed by this server's key");
            assertThat(verify.get("missing").isNull())
                    .as("a forged checkpoint names nothing missing")
                    .isTrue();
            // nor does a far-off row stop the real checkpoints
            addPeople(server, admin, "after-forgery", 1);
            assertThat(server.server.auditCheckpoints().write())
                    .as("a checkpoint of the grown chain, whatever the table's newest row says")
                    .isPresent();
        }
    }

    @Test
    void checkpointsAreSignedWithThePublishedKeyKeptOutsideTheDatabaseAndSentToTheAnchor() throws Exception {
        try (var anchor = new RecordingHttpServer(204);
                var server = TestServer.startWith("checkpoint_anchor", "--audit-anchor-url", anchor.url("/anchor"))) {
            String admin = server.tokenFor(Role.ADMIN);
            addPeople(server, admin, "anchor", 2);
            AuditCheckpoint written = server.server.auditCheckpoints().write().orElseThrow();
            assertThat(server.server.auditCheckpoints().write())
                    .as("nothing new to sign")
                    .isEmpty();

            JsonNode key = get(server, admin, "/api/v1/audit/public-key");
            assertThat(key.get("algorithm").asText()).isEqualTo("Ed25519");
            var publicKey = java.security.KeyFactory.getInstance("Ed25519")
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(
                            Base64.getDecoder().decode(key.get("publicKey").asText())));
            JsonNode listed = get(server, admin, "/api/v1/audit/checkpoints");
            assertThat(listed).hasSize(1);
            AuditCheckpoint served = server.mapper.treeToValue(listed.get(0), AuditCheckpoint.class);
            assertThat(served).isEqualTo(written);
            var verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(AuditCheckpoints.payload(served));
            assertThat(verifier.verify(Base64.getDecoder().decode(served.signature())))
                    .as("the signature checks out with the published key alone")
                    .isTrue();

            Path dataDir = Path.of("target", "data", "checkpoint_anchor");
            Path keyFile = dataDir.resolve("audit-signing-key");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                    .isEqualTo("rw-------");
            Path file = dataDir.resolve(AuditCheckpoints.FILE_NAME);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(file)).contains(written.signature());

            Conditions.await(
                    Duration.ofSeconds(30),
                    "the anchor receives the checkpoint",
                    () -> anchor.bodies.stream().anyMatch(body -> body.contains(written.signature())));
            assertThat(anchor.targets).contains("/anchor");

            // a report's check starts from the checkpoint a full check reached
            assertThat(get(server, admin, "/api/v1/audit/verify").get("valid").asBoolean())
                    .isTrue();
            JsonNode quick = get(server, admin, "/api/v1/audit/verify?scope=since-checkpoint");
            assertThat(quick.get("scope").asText()).isEqualTo("since-checkpoint");
            assertThat(quick.get("fromSeq").asLong()).isGreaterThanOrEqualTo(written.seq());
            assertThat(quick.get("checked").asLong()).isLessThan(written.seq());
            assertThat(quick.get("valid").asBoolean()).isTrue();
        }
    }

    private static JsonNode figure(JsonNode report, String key) {
        for (JsonNode section : report.get("sections")) {
            for (JsonNode figure : section.get("figures")) {
                if (figure.get("key").asText().equals(key)) {
                    return figure;
                }
            }
        }
        throw new AssertionError("no figure " + key);
    }
}
