package io.steward.server.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steward.server.api.AuditCheckpoint;
import io.steward.server.api.Role;
import io.steward.server.audit.AuditCheckpoints;
import io.steward.server.audit.SigningKey;
import io.steward.server.http.Json;
import io.steward.server.testsupport.TestDatabase;
import io.steward.server.testsupport.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auditor's evidence pack over real HTTP: what it holds, that the offline command verifies it
 * (in this JVM and as the real {@code steward-server verify-evidence} process), and that one changed
 * byte in any of its files, a re-written manifest, or a pack re-signed with another key is named.
 */
class EvidencePackTest {
    static TestServer server;
    static String auditor;
    static Path pack;
    static Path serverKey;
    static LocalDate from;
    static LocalDate to;
    static List<AuditCheckpoint> signed = new ArrayList<>();
    static final ObjectMapper MAPPER = Json.mapper();

    @TempDir
    static Path dir;

    @BeforeAll
    static void fixture() throws Exception {
        server = TestServer.start("evidence_pack");
        String admin = server.tokenFor(Role.ADMIN);
        String backup;
        try (Response r = server.call("POST", "/api/v1/backups", admin, null)) {
            assertThat(r.code()).isEqualTo(202);
            backup = server.json(r).get("id").asText();
        }
        server.server.backups().awaitIdle(Duration.ofSeconds(120));
        try (Response r = server.call("POST", "/api/v1/backups/" + backup + "/verify", admin, null)) {
            JsonNode body = server.json(r);
            assertThat(r.code()).as(body.toString()).isEqualTo(200);
            assertThat(body.get("verified").asBoolean()).as(body.toString()).isTrue();
        }
        for (int i = 0; i < 3; i++) {
            server.tokenFor(Role.SUPPORT);
            server.clock.advance(Duration.ofMinutes(1));
            signed.add(server.server.auditCheckpoints().write().orElseThrow());
        }
        auditor = server.tokenFor(Role.AUDITOR);
        LocalDate today = LocalDate.ofInstant(server.clock.instant(), ZoneOffset.UTC);
        from = today.minusDays(1);
        to = today.plusDays(1);
        try (Response r = server.call("GET", "/api/v1/audit/public-key", auditor, null)) {
            serverKey = Files.writeString(
                    dir.resolve("server-key.pem"), server.json(r).get("pem").asText());
        }
        pack = dir.resolve("pack.zip");
        try (Response r =
                server.call("GET", "/api/v1/reports/evidence-pack?from=" + from + "&to=" + to, auditor, null)) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("application/zip");
            assertThat(r.header("Content-Disposition"))
                    .isEqualTo("attachment; filename=\"steward-evidence-" + from + "-to-" + to + ".zip\"");
            Files.write(pack, r.body().bytes());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aPackHoldsTheReportsCheckpointsRestoreTestsMigrationsAndKeyAndIsRecorded() throws Exception {
        Map<String, byte[]> files = read(pack);
        assertThat(files.keySet())
                .containsExactly(
                        "README.txt",
                        "public-key.pem",
                        "reports/soc2.json",
                        "reports/soc2.csv",
                        "reports/soc2.pdf",
                        "reports/gdpr.json",
                        "reports/gdpr.csv",
                        "reports/gdpr.pdf",
                        "reports/iso27001.json",
                        "reports/iso27001.csv",
                        "reports/iso27001.pdf",
                        "checkpoints.jsonl",
                        "restore-tests.json",
                        "migrations.json",
                        "MANIFEST.json",
                        "MANIFEST.sig");
        assertThat(new String(files.get("public-key.pem"), StandardCharsets.US_ASCII))
                .isEqualTo(Files.readString(serverKey));
        // every checkpoint written in the period, as signed
        List<AuditCheckpoint> inPack = new String(files.get("checkpoints.jsonl"), StandardCharsets.UTF_8)
                .lines()
                .map(line -> read(line, AuditCheckpoint.class))
                .toList();
        assertThat(inPack).containsAll(signed);
        // the restore test of the fixture, passed, and the drill's state
        JsonNode restores = MAPPER.readTree(files.get("restore-tests.json"));
        assertThat(restores.get("tests")).hasSize(1);
        assertThat(restores.get("tests").get(0).get("verified").asBoolean()).isTrue();
        assertThat(restores.get("drill").has("unprovenDays")).isTrue();
        assertThat(restores.get("truncated").asBoolean()).isFalse();
        // the migrations as Flyway recorded them
        JsonNode migrations = MAPPER.readTree(files.get("migrations.json"));
        List<String> recorded = TestDatabase.strings(
                server.db,
                "SELECT version || ' ' || checksum FROM flyway_schema_history WHERE version IS NOT NULL"
                        + " ORDER BY installed_rank");
        var listed = new ArrayList<String>();
        migrations.forEach(m ->
                listed.add(m.get("version").asText() + " " + m.get("checksum").asInt()));
        assertThat(listed).isEqualTo(recorded).isNotEmpty();
        // each report once, its three forms carrying one SHA-256, for the period asked
        for (String type : List.of("soc2", "gdpr", "iso27001")) {
            JsonNode report = MAPPER.readTree(files.get("reports/" + type + ".json"));
            assertThat(report.get("period").get("from").asText()).isEqualTo(from.toString());
            String sha256 = report.get("sha256").asText();
            assertThat(new String(files.get("reports/" + type + ".csv"), StandardCharsets.UTF_8))
                    .contains(type + ",,report,,,sha256," + sha256 + ",");
            assertThat(new String(files.get("reports/" + type + ".pdf"), 0, 5, StandardCharsets.US_ASCII))
                    .isEqualTo("%PDF-");
            // kept as a snapshot like any other report: fetched again by its id, byte for byte
            String snapshot =
                    "/api/v1/reports/snapshots/" + report.at("/generation/id").asText();
            for (String format : List.of("json", "csv", "pdf")) {
                try (Response r = server.call("GET", snapshot + "?format=" + format, auditor, null)) {
                    assertThat(r.code()).isEqualTo(200);
                    assertThat(r.body().bytes()).isEqualTo(files.get("reports/" + type + "." + format));
                }
            }
        }
        // one audit entry names the manifest and each report
        String manifestSha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(files.get("MANIFEST.json")));
        List<String> entries = TestDatabase.strings(
                server.db,
                "SELECT details ->> 'manifestSha256' || ' ' || (details ->> 'soc2Sha256') || ' ' || (details ->> 'from')"
                        + " FROM audit_log WHERE action = 'report.evidence_pack_generated'");
        assertThat(entries)
                .contains(manifestSha256 + " "
                        + MAPPER.readTree(files.get("reports/soc2.json"))
                                .get("sha256")
                                .asText() + " " + from);
        // the README says how to check it by hand, and its OpenSSL command does
        String readme = new String(files.get("README.txt"), StandardCharsets.UTF_8);
        assertThat(readme)
                .contains("steward-server verify-evidence PACK.zip --public-key KEY.pem")
                .contains("openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin \\\n"
                        + "         -in MANIFEST.json -sigfile MANIFEST.sig");
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
        for (String name : List.of("public-key.pem", "MANIFEST.json", "MANIFEST.sig")) {
            Files.write(unpacked.resolve(name), files.get(name));
        }
        var openssl = new ProcessBuilder(
                        "openssl",
                        "pkeyutl",
                        "-verify",
                        "-pubin",
                        "-inkey",
                        "public-key.pem",
                        "-rawin",
                        "-in",
                        "MANIFEST.json",
                        "-sigfile",
                        "MANIFEST.sig")
                .directory(unpacked.toFile())
                .redirectErrorStream(true)
                .start();
        String said = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(said).contains("Signature Verified Successfully");
    }

    @Test
    void onlyAdminsAndAuditorsGetAPackAndABadPeriodIsNamed() {
        assertThat(server.status("GET", "/api/v1/reports/evidence-pack", server.tokenFor(Role.SUPPORT), null))
                .isEqualTo(403);
        assertThat(server.status("GET", "/api/v1/reports/evidence-pack", null, null))
                .isEqualTo(401);
        try (Response r = server.call("GET", "/api/v1/reports/evidence-pack?from=2026-13-01", auditor, null)) {
            JsonNode body = server.json(r);
            assertThat(r.code()).isEqualTo(400);
            assertThat(body.get("error").get("field").asText()).isEqualTo("from");
        }
    }

    @Test
    void theOfflineCommandVerifiesThePackAgainstTheServersKey() throws Exception {
        var run = verify(pack, "--public-key", serverKey.toString());
        assertThat(run.code()).as(run.output()).isEqualTo(EvidencePackVerifier.VERIFIED);
        assertThat(run.output())
                .contains("Checked with the key given with --public-key: Ed25519, id "
                        + signed.getFirst().keyId())
                .contains("14 of 14 files as the signed manifest gives them (size and SHA-256)")
                .contains("Report soc2: its own SHA-256 holds, ")
                .containsPattern("[0-9]+ signed checkpoints of audit entries")
                .endsWith("VERIFIED: every signature and digest in the pack holds under the server's key; nothing in"
                        + " it was changed after the server signed it.\n");
        // without the server's key nothing is VERIFIED: anyone can sign a pack with a key of their own
        var unpinned = verify(pack);
        assertThat(unpinned.code()).as(unpinned.output()).isEqualTo(EvidencePackVerifier.UNAUTHENTICATED);
        assertThat(unpinned.output())
                .contains("Signed with the key in public-key.pem: Ed25519, id "
                        + signed.getFirst().keyId())
                .contains("NOT AUTHENTICATED: the pack holds together under the key inside it")
                .doesNotContain("\nVERIFIED");
    }

    @Test
    void oneChangedByteInAnyFileOfThePackIsNamed() throws Exception {
        for (String name : read(pack).keySet()) {
            Path tampered = rewrite(pack, dir.resolve("tampered.zip"), Map.of(name, bytes -> {
                byte[] changed = bytes.clone();
                changed[changed.length / 2] ^= 0x01;
                return changed;
            }));
            var run = verify(tampered, "--public-key", serverKey.toString());
            assertThat(run.code()).as(name + "\n" + run.output()).isEqualTo(EvidencePackVerifier.NOT_VERIFIED);
            assertThat(run.output()).as(name).contains("NOT VERIFIED");
            assertThat(run.output().substring(run.output().indexOf("NOT VERIFIED")))
                    .as(name)
                    .contains(name);
        }
        // a byte changed in the zip itself, under its compression: in the middle of the
        // compressed data of an entry, not in a header field no tool reads
        byte[] raw = Files.readAllBytes(pack);
        int entry;
        try (var zip = new ZipFile(pack.toFile())) {
            entry = zip.stream().map(ZipEntry::getName).toList().indexOf("reports/soc2.pdf");
        }
        int header = localHeaderOffset(raw, entry);
        int data = header + 30 + le16(raw, header + 26) + le16(raw, header + 28);
        raw[data + compressedSize(raw, entry) / 2] ^= 0x20;
        var damaged = verify(Files.write(dir.resolve("damaged.zip"), raw));
        assertThat(damaged.code()).as(damaged.output()).isEqualTo(EvidencePackVerifier.NOT_VERIFIED);
    }

    @Test
    void aReportChangedWithItsDigestAndTheManifestRewrittenFailsOnTheSignature() throws Exception {
        // a cleverer change: the figure, the report's own SHA-256 and the manifest all made to agree
        Map<String, byte[]> files = read(pack);
        ObjectNode report = (ObjectNode) MAPPER.readTree(files.get("reports/soc2.json"));
        ((ObjectNode) report.get("sections").get(0).get("figures").get(0)).put("value", 0);
        report.put(
                "sha256", ReportDigest.ofJson(MAPPER.writeValueAsBytes(report)).computed());
        byte[] changed = MAPPER.writeValueAsBytes(report);
        byte[] manifestBytes = manifestWith(files, "reports/soc2.json", changed);
        Path forged = rewrite(
                pack,
                dir.resolve("forged.zip"),
                Map.of("reports/soc2.json", b -> changed, "MANIFEST.json", b -> manifestBytes));
        var run = verify(forged, "--public-key", serverKey.toString());
        assertThat(run.code()).as(run.output()).isEqualTo(EvidencePackVerifier.NOT_VERIFIED);
        assertThat(run.output()).contains("MANIFEST.json / MANIFEST.sig: the signature does not hold");

        // re-signed with a key of the forger's own, put in the pack: the server's key tells
        var forger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        var signer = Signature.getInstance("Ed25519");
        signer.initSign(forger.getPrivate());
        signer.update(manifestBytes);
        byte[] forgedSignature = signer.sign();
        String forgerPem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getEncoder().encodeToString(forger.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        Path resigned = rewrite(
                pack,
                dir.resolve("resigned.zip"),
                Map.of(
                        "reports/soc2.json", b -> changed,
                        "MANIFEST.json", b -> manifestBytes,
                        "MANIFEST.sig", b -> forgedSignature,
                        "public-key.pem", b -> forgerPem.getBytes(StandardCharsets.US_ASCII)));
        var pinned = verify(resigned, "--public-key", serverKey.toString());
        assertThat(pinned.code()).as(pinned.output()).isEqualTo(EvidencePackVerifier.NOT_VERIFIED);
        assertThat(pinned.output())
                .contains("public-key.pem: key " + SigningKey.keyId(forger.getPublic())
                        + " is not the key given with --public-key");
        // and even without the server's key the pack contradicts itself: its manifest and reports name the real key
        var unpinned = verify(resigned);
        assertThat(unpinned.code()).as(unpinned.output()).isEqualTo(EvidencePackVerifier.NOT_VERIFIED);
        assertThat(unpinned.output()).contains("public-key.pem: key " + SigningKey.keyId(forger.getPublic()));
    }

    @Test
    void aReportWhoseGenerationWasChangedIsNamedEvenInAPackSignedAgain() throws Exception {
        // who generated the report and when, changed; the digest of its evidence still holds, and
        // the manifest is signed again with the server's own key
        ObjectNode report = (ObjectNode) MAPPER.readTree(read(pack).get("reports/gdpr.json"));
        ((ObjectNode) report.get("generation").get("generatedBy")).put("email", "someone.else@test.example");
        byte[] changed = MAPPER.writeValueAsBytes(report);
        assertThat(ReportDigest.ofJson(changed).computed())
                .isEqualTo(report.get("sha256").asText());
        var run = verify(
                signedAgainWith("reports/gdpr.json", changed, "generation-changed.zip"),
                "--public-key",
                serverKey.toString());
        assertThat(run.code()).as(run.output()).isEqualTo(EvidencePackVerifier.NOT_VERIFIED);
        assertThat(run.output()).contains("reports/gdpr.json: the signature of its generation does not hold");
    }

    @Test
    void aCheckpointThatDisagreesWithAnotherOnAnEntrysHashIsNamed() throws Exception {
        // signed with the server's own key: what a server whose chain was rewritten would sign
        SigningKey key = SigningKey.load(Path.of("target", "data", "evidence_pack", "audit-signing-key"), false);
        AuditCheckpoint real = signed.getFirst();
        String otherHash = "00".repeat(32);
        var rewritten = new AuditCheckpoint(
                real.seq(),
                otherHash,
                real.at().plusSeconds(1),
                key.keyId(),
                Base64.getEncoder()
                        .encodeToString(key.sign(AuditCheckpoints.payload(
                                real.seq(), otherHash, real.at().plusSeconds(1), "x"))),
                "x");
        Map<String, byte[]> files = read(pack);
        byte[] lines = (new String(files.get("checkpoints.jsonl"), StandardCharsets.UTF_8)
                        + MAPPER.writeValueAsString(rewritten) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        var run = verify(
                signedAgainWith("checkpoints.jsonl", lines, "rewritten-chain.zip"),
                "--public-key",
                serverKey.toString());
        assertThat(run.code()).as(run.output()).isEqualTo(EvidencePackVerifier.NOT_VERIFIED);
        assertThat(run.output())
                .contains("checkpoints.jsonl, line ")
                .contains("two signed checkpoints give entry " + real.seq() + " different hashes");
    }

    @Test
    void theSteward_serverCommandVerifiesAndRefusesAsAProcess() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var good = run(List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "io.steward.server.Main",
                "verify-evidence",
                pack.toString(),
                "--public-key",
                serverKey.toString()));
        assertThat(good.code()).as(good.output()).isZero();
        assertThat(good.output()).contains("\nVERIFIED: every signature");
        Path tampered = rewrite(pack, dir.resolve("process-tampered.zip"), Map.of("reports/gdpr.pdf", b -> {
            byte[] changed = b.clone();
            changed[changed.length - 10] ^= 0x01;
            return changed;
        }));
        var bad = run(List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "io.steward.server.Main",
                "verify-evidence",
                tampered.toString()));
        assertThat(bad.code()).as(bad.output()).isEqualTo(1);
        assertThat(bad.output()).contains("NOT VERIFIED: 1 problem:").contains("  reports/gdpr.pdf: changed since");
        var misused = run(List.of(
                java, "-cp", System.getProperty("java.class.path"), "io.steward.server.Main", "verify-evidence"));
        assertThat(misused.code()).isEqualTo(2);
        assertThat(misused.output()).contains("Usage: steward-server verify-evidence PACK.zip");
    }

    @Test
    void aZipThatShowsOneToolOtherFilesThanAnotherIsRefused() throws Exception {
        byte[] genuine = Files.readAllBytes(pack);
        // another zip in front: streaming tools would read its files, unzip the pack's
        Path decoy = rewrite(pack, dir.resolve("decoy.zip"), Map.of("reports/soc2.json", b -> "{}".getBytes()));
        byte[] front = Files.readAllBytes(decoy);
        byte[] both = new byte[front.length + genuine.length];
        System.arraycopy(front, 0, both, 0, front.length);
        System.arraycopy(genuine, 0, both, front.length, genuine.length);
        var prefixed = verify(Files.write(dir.resolve("prefixed.zip"), both), "--public-key", serverKey.toString());
        assertThat(prefixed.code()).as(prefixed.output()).isEqualTo(EvidencePackVerifier.NOT_VERIFIED);
        assertThat(prefixed.output()).contains("its index and its contents name different files");
        // a doctored copy of a report hidden between the entries and the index: unzip reads the
        // index and finds the genuine one, a streaming tool reads on and keeps the doctored one
        Path doctoredZip =
                rewrite(pack, dir.resolve("doctored.zip"), Map.of("reports/soc2.json", b -> "{}".getBytes()));
        byte[] doctored = Files.readAllBytes(doctoredZip);
        int doctoredEntry = -1;
        try (var zip = new ZipFile(doctoredZip.toFile())) {
            var names = zip.stream().map(ZipEntry::getName).toList();
            doctoredEntry = names.indexOf("reports/soc2.json");
        }
        assertThat(doctoredEntry).isGreaterThan(0);
        byte[] hiddenEntry = localEntry(doctored, doctoredEntry);
        int cdOffset = le32(genuine, genuine.length - 22 + 16);
        var hidden = new java.io.ByteArrayOutputStream();
        hidden.write(genuine, 0, cdOffset);
        hidden.write(hiddenEntry);
        hidden.write(genuine, cdOffset, genuine.length - cdOffset);
        byte[] smuggled = hidden.toByteArray();
        int end = smuggled.length - 22;
        int moved = cdOffset + hiddenEntry.length;
        smuggled[end + 16] = (byte) moved;
        smuggled[end + 17] = (byte) (moved >> 8);
        smuggled[end + 18] = (byte) (moved >> 16);
        smuggled[end + 19] = (byte) (moved >> 24);
        Path smuggledZip = Files.write(dir.resolve("smuggled.zip"), smuggled);
        try (var zip = new ZipFile(smuggledZip.toFile())) {
            assertThat(new String(zip.getInputStream(zip.getEntry("reports/soc2.json"))
                            .readAllBytes()))
                    .as("the index still shows the genuine report")
                    .isNotEqualTo("{}");
        }
        var smuggledRun = verify(smuggledZip, "--public-key", serverKey.toString());
        assertThat(smuggledRun.code()).as(smuggledRun.output()).isEqualTo(EvidencePackVerifier.NOT_VERIFIED);
        assertThat(smuggledRun.output()).contains("its index and its contents name different files");
        // bytes after the end, or a comment, which unzip would print to the auditor
        byte[] trailing = java.util.Arrays.copyOf(genuine, genuine.length + 5);
        var after = verify(Files.write(dir.resolve("trailing.zip"), trailing), "--public-key", serverKey.toString());
        assertThat(after.code()).as(after.output()).isEqualTo(EvidencePackVerifier.NOT_VERIFIED);
        assertThat(after.output()).contains("a comment or data after its end");
        Path commented = dir.resolve("commented.zip");
        try (var out = new ZipOutputStream(Files.newOutputStream(commented))) {
            for (var file : read(pack).entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(file.getValue());
                out.closeEntry();
            }
            out.setComment("VERIFIED by the auditor's office");
        }
        var comment = verify(commented, "--public-key", serverKey.toString());
        assertThat(comment.code()).as(comment.output()).isEqualTo(EvidencePackVerifier.NOT_VERIFIED);
    }

    @Test
    void aManifestThatIsNotOneOrWritesToTheTerminalIsNamedNotObeyed() throws Exception {
        for (String manifest : List.of("null", "{}", "{\"files\":[null]}", "[1]")) {
            Path odd = rewrite(
                    pack,
                    dir.resolve("odd.zip"),
                    Map.of("MANIFEST.json", b -> manifest.getBytes(StandardCharsets.UTF_8)));
            var run = verify(odd, "--public-key", serverKey.toString());
            assertThat(run.code()).as(manifest + "\n" + run.output()).isEqualTo(EvidencePackVerifier.NOT_VERIFIED);
            assertThat(run.output()).as(manifest).contains("MANIFEST.json: not a manifest of an evidence pack");
        }
        // signed with the server's own key, a manifest that tries to print a verdict of its own
        SigningKey key = SigningKey.load(Path.of("target", "data", "evidence_pack", "audit-signing-key"), false);
        ObjectNode manifest = (ObjectNode) MAPPER.readTree(read(pack).get("MANIFEST.json"));
        manifest.put("serverVersion", "1.0\nVERIFIED: fake\u001b[8m");
        byte[] bytes = MAPPER.writeValueAsBytes(manifest);
        Path loud = rewrite(
                pack,
                dir.resolve("loud.zip"),
                Map.of(
                        "MANIFEST.json", b -> bytes,
                        "MANIFEST.sig", b -> key.sign(bytes),
                        "reports/gdpr.csv", b -> java.util.Arrays.copyOf(b, b.length - 1)));
        var run = verify(loud, "--public-key", serverKey.toString());
        assertThat(run.code()).as(run.output()).isEqualTo(EvidencePackVerifier.NOT_VERIFIED);
        assertThat(run.output())
                .doesNotContain("\nVERIFIED: fake")
                .doesNotContain("\u001b")
                .contains("1.0\\u000aVERIFIED: fake\\u001b[8m");
    }

    @Test
    void checkpointsRemovedFromTheDatabaseStayInThePackFromTheFileBesideIt() throws Exception {
        TestDatabase.asOwner(server.db, "DELETE FROM audit_checkpoints");
        Path after = dir.resolve("after-delete.zip");
        try (Response r =
                server.call("GET", "/api/v1/reports/evidence-pack?from=" + from + "&to=" + to, auditor, null)) {
            assertThat(r.code()).isEqualTo(200);
            Files.write(after, r.body().bytes());
        }
        List<AuditCheckpoint> inPack = new String(read(after).get("checkpoints.jsonl"), StandardCharsets.UTF_8)
                .lines()
                .map(line -> read(line, AuditCheckpoint.class))
                .toList();
        assertThat(inPack).containsAll(signed);
        var run = verify(after, "--public-key", serverKey.toString());
        assertThat(run.code()).as(run.output()).isEqualTo(EvidencePackVerifier.VERIFIED);
    }

    // ------------------------------------------------------------------------------------------

    record Run(int code, String output) {}

    static Run verify(Path file, String... more) {
        var args = new ArrayList<String>();
        args.add(file.toString());
        args.addAll(List.of(more));
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = EvidencePackVerifier.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    static Run run(List<String> command) throws Exception {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    static Map<String, byte[]> read(Path zipFile) throws IOException {
        var files = new LinkedHashMap<String, byte[]>();
        try (var zip = new ZipFile(zipFile.toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                try (var in = zip.getInputStream(entry)) {
                    files.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return files;
    }

    /** A copy of {@code source} with the named files' contents changed. */
    static Path rewrite(Path source, Path target, Map<String, UnaryOperator<byte[]>> changes) throws IOException {
        try (var out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (var file : read(source).entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(changes.getOrDefault(file.getKey(), b -> b).apply(file.getValue()));
                out.closeEntry();
            }
        }
        return target;
    }

    static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    /** Where the {@code n}th entry's local header starts, from the central directory. */
    static int localHeaderOffset(byte[] zip, int n) {
        return le32(zip, centralEntry(zip, n) + 42);
    }

    /** The {@code n}th entry's compressed size, from the central directory. */
    static int compressedSize(byte[] zip, int n) {
        return le32(zip, centralEntry(zip, n) + 20);
    }

    private static int centralEntry(byte[] zip, int n) {
        int at = le32(zip, zip.length - 22 + 16);
        for (int i = 0; i < n; i++) {
            at += 46 + le16(zip, at + 28) + le16(zip, at + 30) + le16(zip, at + 32);
        }
        return at;
    }

    /** The local header and data of the {@code n}th entry of a zip written by ZipOutputStream (no data descriptors assumed). */
    static byte[] localEntry(byte[] zip, int n) {
        // walk the central directory to the entry's local header offset, and the next entry's
        int cd = le32(zip, zip.length - 22 + 16);
        int entries = le16(zip, zip.length - 22 + 10);
        int[] offsets = new int[entries + 1];
        int at = cd;
        for (int i = 0; i < entries; i++) {
            offsets[i] = le32(zip, at + 42);
            at += 46 + le16(zip, at + 28) + le16(zip, at + 30) + le16(zip, at + 32);
        }
        offsets[entries] = cd;
        return java.util.Arrays.copyOfRange(zip, offsets[n], offsets[n + 1]);
    }

    /**
     * A copy of the pack named {@code copy} with {@code name} holding {@code content} and its
     * manifest signed again with the server's own key, as a server with the key would.
     */
    static Path signedAgainWith(String name, byte[] content, String copy) throws Exception {
        SigningKey key = SigningKey.load(Path.of("target", "data", "evidence_pack", "audit-signing-key"), false);
        byte[] manifest = manifestWith(read(pack), name, content);
        return rewrite(
                pack,
                dir.resolve(copy),
                Map.of(name, b -> content, "MANIFEST.json", b -> manifest, "MANIFEST.sig", b -> key.sign(manifest)));
    }

    /** The pack's manifest as it would list {@code name} with {@code content}, the rest as they are. */
    static byte[] manifestWith(Map<String, byte[]> files, String name, byte[] content) throws Exception {
        ObjectNode manifest = (ObjectNode) MAPPER.readTree(files.get("MANIFEST.json"));
        for (JsonNode file : manifest.get("files")) {
            if (file.get("name").asText().equals(name)) {
                ((ObjectNode) file).put("sha256", sha256(content)).put("bytes", content.length);
            }
        }
        return MAPPER.writeValueAsBytes(manifest);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static <T> T read(String line, Class<T> type) {
        try {
            return MAPPER.readValue(line, type);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
