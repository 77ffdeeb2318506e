package io.steward.server.reports;

import io.steward.server.api.ComplianceReport;
import java.time.Instant;
import java.util.List;

/**
 * The evidence pack's format ({@value #FORMAT}), shared by the server that makes packs and the
 * command that checks them: a zip holding the three reports in each format, the signed audit
 * checkpoints of the period, the restore tests, the schema migrations, the public key, a
 * {@value #README}, and a {@value #MANIFEST} giving every other file's size and SHA-256, signed
 * with the audit signing key in {@value #SIGNATURE}.
 */
final class EvidencePack {
    static final String FORMAT = "steward-evidence-pack/1";
    static final String README = "README.txt";
    static final String MANIFEST = "MANIFEST.json";
    static final String SIGNATURE = "MANIFEST.sig";
    static final String PUBLIC_KEY = "public-key.pem";
    static final String CHECKPOINTS = "checkpoints.jsonl";
    static final String RESTORE_TESTS = "restore-tests.json";
    static final String MIGRATIONS = "migrations.json";
    static final List<String> REPORT_TYPES = List.of("soc2", "gdpr", "iso27001");
    static final List<String> REPORT_FORMATS = List.of("json", "csv", "pdf");

    private EvidencePack() {}

    static String report(String type, String format) {
        return "reports/" + type + "." + format;
    }

    /** Every file the manifest lists, in the order they are written. */
    static List<String> listed() {
        var names = new java.util.ArrayList<String>();
        names.add(README);
        names.add(PUBLIC_KEY);
        for (String type : REPORT_TYPES) {
            for (String format : REPORT_FORMATS) {
                names.add(report(type, format));
            }
        }
        names.addAll(List.of(CHECKPOINTS, RESTORE_TESTS, MIGRATIONS));
        return List.copyOf(names);
    }

    /**
     * What {@value #MANIFEST} says: the period, who made the pack and when, the key that signed it,
     * and each file's size and SHA-256 (hex).
     */
    record Manifest(
            String format,
            ComplianceReport.Period period,
            Instant generatedAt,
            ComplianceReport.GeneratedBy generatedBy,
            String serverVersion,
            String keyId,
            List<File> files) {

        record File(String name, long bytes, String sha256) {}
    }

    /** The restore tests started in the period, and the drill's state when the pack was made. */
    record RestoreTests(
            io.steward.server.api.RestoreDrillStatus drill,
            List<io.steward.server.api.RestoreTestView> tests,
            boolean truncated) {}

    /** One applied schema migration as Flyway recorded it. */
    record Migration(
            String version,
            String description,
            @org.jspecify.annotations.Nullable Instant installedOn,
            @org.jspecify.annotations.Nullable Integer checksum,
            boolean success) {}

    /** The pack's {@value #README}: what each file is and how to check it without Steward's server. */
    static String readme(Manifest manifest) {
        var by = manifest.generatedBy();
        return """
                Steward evidence pack
                =====================

                Period:       %s to %s (days in UTC, both included)
                Generated:    %s by %s <%s> (%s)
                Server:       Steward %s
                Signing key:  Ed25519, id %s (public-key.pem)

                What is in it
                  reports/soc2.*       SOC 2 evidence report (Trust Services Criteria)
                  reports/gdpr.*       GDPR compliance report
                  reports/iso27001.*   ISO/IEC 27001:2022 Annex A evidence report
                                       each as JSON (the canonical form), CSV and PDF, made once:
                                       the three forms carry the same SHA-256
                  checkpoints.jsonl    the signed checkpoints of the audit chain's head written in
                                       the period, one JSON object per line
                  restore-tests.json   the restore tests of backups started in the period, and the
                                       restore drill's state when the pack was made
                  migrations.json      the schema migrations applied to the database, with the
                                       checksums Flyway recorded
                  public-key.pem       the public key the manifest and the checkpoints are signed with
                  MANIFEST.json        every other file's size and SHA-256
                  MANIFEST.sig         the Ed25519 signature of MANIFEST.json

                How to verify it
                1. With Steward, offline (no database, no network):

                     steward-server verify-evidence PACK.zip --public-key KEY.pem

                   KEY.pem is the server's key as you had it from the server itself
                   (GET /api/v1/audit/public-key), not the public-key.pem in this pack: anyone
                   who changed the pack could have put a key of their own there. It prints
                   VERIFIED, or NOT VERIFIED and each file that does not hold; without
                   --public-key, at best NOT AUTHENTICATED.

                2. By hand, with OpenSSL 3 and sha256sum, after comparing public-key.pem with
                   the server's key:

                     openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin \\
                         -in MANIFEST.json -sigfile MANIFEST.sig
                     sha256sum README.txt public-key.pem reports/* checkpoints.jsonl \\
                         restore-tests.json migrations.json

                   and compare each SHA-256 with the one MANIFEST.json gives. A report's own
                   "sha256" identifies its evidence: the SHA-256 of its JSON with the "sha256"
                   and "generation" fields removed, keys sorted and no white space, numbers and
                   strings written as Jackson writes them (the command above recomputes it), so
                   the same period with unchanged records gives the same value whenever it is
                   generated; its CSV states the same value, and so does the PDF's title page.
                   Its "generation" (who generated it, when, the key, the audit chain's check)
                   is signed beside it: "signature" (base64) is the key's Ed25519 signature of
                   the same canonical JSON of {"generation": ..., "sha256": ...}, the signature
                   left out. A checkpoint's "signature" (base64) is its key's Ed25519
                   signature of the text
                     steward-audit-checkpoint/1\\n<seq>\\n<hash>\\n<at>\\n<instance>\\n
                   with the values as the line gives them.
                """.formatted(
                        manifest.period().from(),
                        manifest.period().to(),
                        manifest.generatedAt(),
                        by.name(),
                        by.email(),
                        by.role(),
                        manifest.serverVersion(),
                        manifest.keyId());
    }
}
