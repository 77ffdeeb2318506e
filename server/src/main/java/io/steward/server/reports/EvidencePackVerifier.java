package io.steward.server.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steward.server.api.AuditCheckpoint;
import io.steward.server.audit.AuditCheckpoints;
import io.steward.server.audit.SigningKey;
import io.steward.server.http.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * {@code steward-server verify-evidence PACK.zip [--public-key FILE]}: checks an evidence pack
 * ({@link EvidencePack}) without a database or a network: the manifest's signature, every file's
 * size and SHA-256 against it, each report's own SHA-256 (and that its CSV carries the same one),
 * the signature of each report's generation under the pack's key, and every checkpoint's signature; prints a plain verdict naming each file
 * that does not hold.
 */
public final class EvidencePackVerifier {
    /** Exit codes: verified, not verified, unusable request. */
    public static final int VERIFIED = 0;

    public static final int NOT_VERIFIED = 1;
    public static final int MISUSED = 2;

    public static final String USAGE = """
            Usage: steward-server verify-evidence PACK.zip [--public-key FILE]
              Checks an evidence pack offline: the signature of its manifest, every file's
              SHA-256, each report's own SHA-256 and every signed audit checkpoint.
              --public-key FILE  the server's public key (PEM, as GET /api/v1/audit/public-key
                                 gives it); without it the key inside the pack is used and its
                                 id printed, to be compared with the one the server publishes.
              Exit status 0: verified; 1: not verified (each problem is printed); 2: misused;
              3: it holds, but only under the key inside the pack (no --public-key given).
            """;

    /** Exit status when everything holds but only under the key the pack itself holds. */
    public static final int UNAUTHENTICATED = 3;

    private static final long MAX_MANIFEST_BYTES = 1 << 20;
    private static final long MAX_REPORT_BYTES = 256L << 20;
    private static final int MAX_LINE = 64 * 1024;
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    private final ObjectMapper mapper = Json.mapper();
    private final List<String> problems = new ArrayList<>();
    private final List<String> facts = new ArrayList<>();
    private boolean pinned;

    private EvidencePackVerifier() {}

    /**
     * What the check found: facts about the pack, its problems (none: it holds), and whether it was
     * checked against a key given from outside the pack ({@code authenticated}).
     */
    public record Verdict(List<String> facts, List<String> problems, boolean authenticated) {
        /** Everything holds, under the server's key as given. */
        public boolean verified() {
            return problems.isEmpty() && authenticated;
        }
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Path pack = null;
        PublicKey pinned = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--public-key") && i + 1 < args.size()) {
                Path file = Path.of(args.get(++i));
                try {
                    pinned = publicKey(Files.readString(file, StandardCharsets.US_ASCII));
                } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                    err.println("steward-server verify-evidence: " + file + " is not an Ed25519 public key in PEM");
                    return MISUSED;
                }
            } else if (!arg.startsWith("--") && pack == null) {
                pack = Path.of(arg);
            } else {
                err.print(USAGE);
                return MISUSED;
            }
        }
        if (pack == null) {
            err.print(USAGE);
            return MISUSED;
        }
        if (!Files.isRegularFile(pack)) {
            err.println("steward-server verify-evidence: " + printable(pack.toString()) + " is not a file");
            return MISUSED;
        }
        Verdict verdict = verify(pack, pinned);
        out.println("Evidence pack " + printable(pack.toString()));
        verdict.facts().forEach(fact -> out.println("  " + printable(fact)));
        int code;
        if (!verdict.problems().isEmpty()) {
            int n = verdict.problems().size();
            out.println("NOT VERIFIED: " + n + (n == 1 ? " problem" : " problems") + ":");
            verdict.problems().forEach(problem -> out.println("  " + printable(problem)));
            code = NOT_VERIFIED;
        } else if (!verdict.authenticated()) {
            out.println("NOT AUTHENTICATED: the pack holds together under the key inside it, but anyone can make"
                    + " such a key. Give the server's key (GET /api/v1/audit/public-key) with --public-key FILE.");
            code = UNAUTHENTICATED;
        } else {
            out.println("VERIFIED: every signature and digest in the pack holds under the server's key; nothing in it"
                    + " was changed after the server signed it.");
            code = VERIFIED;
        }
        out.flush();
        return code;
    }

    /** {@code text} with every control character shown as {@code \\uXXXX}: a pack cannot write to the terminal. */
    static String printable(String text) {
        var out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)
                    || c == 0x2028
                    || c == 0x2029
                    || (c >= 0x202a && c <= 0x202e)
                    || (c >= 0x2066 && c <= 0x2069)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** Checks {@code pack}, against {@code pinned} when given, else against the key it holds. */
    public static Verdict verify(Path pack, @Nullable PublicKey pinned) {
        var verifier = new EvidencePackVerifier();
        verifier.pinned = pinned != null;
        try {
            Map<String, Digest> digests = verifier.layout(pack);
            if (digests != null) {
                try (var zip = new ZipFile(pack.toFile())) {
                    verifier.check(zip, digests, pinned);
                }
            }
        } catch (IOException e) {
            verifier.problems.add(pack.getFileName() + ": not a readable zip file (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            verifier.problems.add(pack.getFileName() + ": not a pack this command can read ("
                    + e.getClass().getSimpleName() + ")");
        }
        return new Verdict(List.copyOf(verifier.facts), List.copyOf(verifier.problems), verifier.pinned);
    }

    /**
     * The pack's files and their digests, when the zip is laid out as Steward writes it: the same
     * files, in the same order, whether read through its index (as {@code unzip} does) or entry
     * after entry from the start (as streaming tools do), and nothing after its end record. A zip
     * showing one tool other files than another is refused; null then, with the problem noted.
     */
    private @Nullable Map<String, Digest> layout(Path pack) throws IOException {
        try (var file = new java.io.RandomAccessFile(pack.toFile(), "r")) {
            long length = file.length();
            byte[] end = new byte[22];
            if (length < end.length) {
                problems.add(pack.getFileName() + ": not a zip file");
                return null;
            }
            file.seek(length - end.length);
            file.readFully(end);
            boolean endRecord = end[0] == 'P' && end[1] == 'K' && end[2] == 5 && end[3] == 6;
            if (!endRecord || end[20] != 0 || end[21] != 0) {
                problems.add(pack.getFileName() + ": the zip has a comment or data after its end; Steward writes"
                        + " neither");
                return null;
            }
        }
        var indexed = new LinkedHashMap<String, Digest>();
        try (var zip = new ZipFile(pack.toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                if (indexed.containsKey(entry.getName())) {
                    problems.add(entry.getName() + ": in the pack twice");
                    return null;
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    indexed.put(entry.getName(), digest(in));
                } catch (IOException e) {
                    problems.add(entry.getName() + ": damaged in the zip (" + e.getMessage() + ")");
                    return null;
                }
            }
        }
        var streamed = new LinkedHashMap<String, Digest>();
        boolean repeated = false;
        try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(pack))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null && !repeated; ) {
                // a second entry of one name, hidden from the index, is what a streaming tool keeps
                repeated = streamed.put(entry.getName(), digest(in)) != null || streamed.size() > indexed.size();
            }
        } catch (IOException e) {
            streamed.clear();
        }
        if (repeated
                || !streamed.equals(indexed)
                || !List.copyOf(streamed.keySet()).equals(List.copyOf(indexed.keySet()))) {
            problems.add(pack.getFileName() + ": its index and its contents name different files or contents (a zip"
                    + " made to show one tool other files than another)");
            return null;
        }
        return indexed;
    }

    private void check(ZipFile zip, Map<String, Digest> digests, @Nullable PublicKey given) {
        var entries = new LinkedHashMap<String, ZipEntry>();
        zip.stream().forEach(entry -> entries.put(entry.getName(), entry));
        byte[] manifestBytes = read(zip, entries.get(EvidencePack.MANIFEST), EvidencePack.MANIFEST, MAX_MANIFEST_BYTES);
        byte[] signature = read(zip, entries.get(EvidencePack.SIGNATURE), EvidencePack.SIGNATURE, 1024);
        byte[] pem = read(zip, entries.get(EvidencePack.PUBLIC_KEY), EvidencePack.PUBLIC_KEY, 64 * 1024);
        if (manifestBytes == null) {
            return;
        }
        EvidencePack.Manifest manifest;
        try {
            manifest = mapper.readValue(manifestBytes, EvidencePack.Manifest.class);
        } catch (IOException e) {
            problems.add(EvidencePack.MANIFEST + ": not a manifest of an evidence pack (" + problem(e) + ")");
            return;
        }
        String lacking = lacking(manifest);
        if (lacking != null) {
            problems.add(EvidencePack.MANIFEST + ": not a manifest of an evidence pack (no " + lacking + ")");
            return;
        }
        PublicKey key = packKey(pem, manifest, given);
        if (key == null || signature == null) {
            return;
        }
        if (!SigningKey.verify(key, manifestBytes, signature)) {
            problems.add(EvidencePack.MANIFEST + " / " + EvidencePack.SIGNATURE
                    + ": the signature does not hold: the manifest was changed after it was signed, or signed"
                    + " with another key");
            // nothing the manifest says can be believed: its files are not looked into
            return;
        }
        if (!EvidencePack.FORMAT.equals(manifest.format())) {
            problems.add(EvidencePack.MANIFEST + ": format " + manifest.format() + ", this command reads "
                    + EvidencePack.FORMAT);
            return;
        }
        facts.add("Period " + manifest.period().from() + " to "
                + manifest.period().to() + ", generated "
                + manifest.generatedAt() + " by " + manifest.generatedBy().name() + " <"
                + manifest.generatedBy().email() + "> ("
                + manifest.generatedBy().role() + ") on Steward "
                + manifest.serverVersion());
        Set<String> intact = new HashSet<>();
        Set<String> listed = new HashSet<>();
        for (var file : manifest.files()) {
            listed.add(file.name());
            Digest digest = digests.get(file.name());
            if (digest == null) {
                problems.add(file.name() + ": listed in the manifest, missing from the pack");
            } else if (digest.bytes() != file.bytes() || !digest.sha256().equals(file.sha256())) {
                problems.add(file.name() + ": changed since the pack was signed (SHA-256 " + digest.sha256() + ", "
                        + digest.bytes() + " bytes; the manifest says " + file.sha256() + ", " + file.bytes()
                        + " bytes)");
            } else {
                intact.add(file.name());
            }
        }
        for (String name : entries.keySet()) {
            if (!listed.contains(name) && !name.equals(EvidencePack.MANIFEST) && !name.equals(EvidencePack.SIGNATURE)) {
                problems.add(name + ": in the pack but not in its signed manifest");
            }
        }
        for (String name : EvidencePack.listed()) {
            if (!listed.contains(name)) {
                problems.add(name + ": not in the manifest, though every pack has it");
            }
        }
        facts.add(intact.size() + " of " + manifest.files().size()
                + " files as the signed manifest gives them (size and SHA-256)");
        // a file's content is looked into only once it is known to be what was signed
        for (String type : EvidencePack.REPORT_TYPES) {
            if (intact.contains(EvidencePack.report(type, "json"))) {
                checkReport(zip, entries, manifest, type, intact, key);
            }
        }
        if (intact.contains(EvidencePack.CHECKPOINTS)) {
            checkCheckpoints(zip, entries.get(EvidencePack.CHECKPOINTS), key);
        }
        for (String name : List.of(EvidencePack.RESTORE_TESTS, EvidencePack.MIGRATIONS)) {
            byte[] json = intact.contains(name) ? read(zip, entries.get(name), name, MAX_REPORT_BYTES) : null;
            if (json != null) {
                try {
                    mapper.readTree(json);
                } catch (IOException e) {
                    problems.add(name + ": not JSON (" + problem(e) + ")");
                }
            }
        }
    }

    /** The first field a manifest needs and lacks, or null. */
    private static @Nullable String lacking(EvidencePack.@Nullable Manifest m) {
        if (m == null) {
            return "content";
        }
        if (m.format() == null) {
            return "format";
        }
        if (m.period() == null || m.period().from() == null || m.period().to() == null) {
            return "period";
        }
        if (m.generatedAt() == null || m.serverVersion() == null) {
            return "generation";
        }
        if (m.generatedBy() == null
                || m.generatedBy().name() == null
                || m.generatedBy().email() == null
                || m.generatedBy().role() == null) {
            return "generatedBy";
        }
        if (m.keyId() == null) {
            return "keyId";
        }
        if (m.files() == null
                || m.files().stream().anyMatch(f -> f == null || f.name() == null || f.sha256() == null)) {
            return "files";
        }
        return null;
    }

    /** The key the pack is signed with, checked against the manifest's id and {@code pinned}. */
    private @Nullable PublicKey packKey(
            byte @Nullable [] pem, EvidencePack.Manifest manifest, @Nullable PublicKey pinned) {
        PublicKey inPack = null;
        if (pem != null) {
            try {
                inPack = publicKey(new String(pem, StandardCharsets.US_ASCII));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                problems.add(EvidencePack.PUBLIC_KEY + ": not an Ed25519 public key in PEM");
            }
        }
        if (inPack != null && !SigningKey.keyId(inPack).equals(manifest.keyId())) {
            problems.add(EvidencePack.PUBLIC_KEY + ": key " + SigningKey.keyId(inPack) + ", the manifest names key "
                    + manifest.keyId());
        }
        if (pinned != null) {
            if (inPack != null && !SigningKey.keyId(inPack).equals(SigningKey.keyId(pinned))) {
                problems.add(EvidencePack.PUBLIC_KEY + ": key " + SigningKey.keyId(inPack)
                        + " is not the key given with --public-key (" + SigningKey.keyId(pinned) + ")");
            }
            facts.add("Checked with the key given with --public-key: Ed25519, id " + SigningKey.keyId(pinned));
            return pinned;
        }
        if (inPack != null) {
            facts.add("Signed with the key in " + EvidencePack.PUBLIC_KEY + ": Ed25519, id " + SigningKey.keyId(inPack)
                    + ". Compare it with the id your Steward server publishes (GET /api/v1/audit/public-key),"
                    + " or give that key with --public-key");
        }
        return inPack;
    }

    private void checkReport(
            ZipFile zip,
            Map<String, ZipEntry> entries,
            EvidencePack.Manifest manifest,
            String type,
            Set<String> intact,
            PublicKey key) {
        String jsonName = EvidencePack.report(type, "json");
        byte[] json = read(zip, entries.get(jsonName), jsonName, MAX_REPORT_BYTES);
        if (json == null) {
            return;
        }
        ReportDigest.Check check;
        JsonNode report;
        try {
            check = ReportDigest.ofJson(json);
            report = mapper.readTree(json);
        } catch (IOException | RuntimeException e) {
            problems.add(jsonName + ": not a report's JSON (" + e.getClass().getSimpleName() + ")");
            return;
        }
        boolean own = check.computed().equals(check.claimed());
        if (!own) {
            problems.add(jsonName + ": its content does not give its own SHA-256 (it says " + check.claimed()
                    + ", the content gives " + check.computed() + ")");
        }
        if (!type.equals(report.path("type").asText())
                || !manifest.period()
                        .from()
                        .toString()
                        .equals(report.path("period").path("from").asText())
                || !manifest.period()
                        .to()
                        .toString()
                        .equals(report.path("period").path("to").asText())) {
            problems.add(jsonName + ": not the " + type + " report of the manifest's period");
        }
        byte[] signedBytes = check.signedBytes();
        if (signedBytes == null) {
            problems.add(jsonName + ": has no signed generation (who generated it, when, with which key)");
        } else if (!manifest.keyId().equals(check.keyId())) {
            problems.add(jsonName + ": names signing key " + check.keyId() + ", the pack is signed with "
                    + manifest.keyId());
        } else if (!signatureHolds(key, signedBytes, check.signature())) {
            problems.add(jsonName + ": the signature of its generation does not hold: its digest or who generated"
                    + " it and when was changed after it was signed, or signed with another key");
        }
        String csvName = EvidencePack.report(type, "csv");
        String csvSha256 = intact.contains(csvName) ? csvSha256(zip, entries.get(csvName), csvName, type) : null;
        if (csvSha256 != null && !csvSha256.equals(check.claimed())) {
            problems.add(csvName + ": carries SHA-256 " + csvSha256 + ", its JSON " + check.claimed());
        }
        if (own) {
            facts.add("Report " + type + ": its own SHA-256 holds, " + check.claimed());
        }
    }

    private static boolean signatureHolds(PublicKey key, byte[] signed, @Nullable String signature) {
        if (signature == null) {
            return false;
        }
        try {
            return SigningKey.verify(key, signed, Base64.getDecoder().decode(signature));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The SHA-256 a report's CSV states in its {@code report,,,sha256} line; null (noted) if none. */
    private @Nullable String csvSha256(ZipFile zip, @Nullable ZipEntry entry, String name, String type) {
        if (entry == null) {
            problems.add(name + ": missing from the pack");
            return null;
        }
        String prefix = type + ",,report,,,sha256,";
        try (var lines = new Lines(zip.getInputStream(entry))) {
            for (String line; (line = lines.next()) != null; ) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length()).split(",", -1)[0];
                }
            }
        } catch (IOException e) {
            problems.add(name + ": cannot be read (" + e.getMessage() + ")");
            return null;
        }
        problems.add(name + ": states no SHA-256");
        return null;
    }

    /**
     * Every checkpoint: signed by the pack's key over what it says, and no two naming different
     * hashes for one entry (the chain would have been rewritten between them).
     */
    private void checkCheckpoints(ZipFile zip, @Nullable ZipEntry entry, PublicKey key) {
        String name = EvidencePack.CHECKPOINTS;
        if (entry == null) {
            problems.add(name + ": missing from the pack");
            return;
        }
        String keyId = SigningKey.keyId(key);
        var hashes = new HashMap<Long, String>();
        long count = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int bad = 0;
        try (var lines = new Lines(zip.getInputStream(entry))) {
            int number = 0;
            for (String line; (line = lines.next()) != null; ) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                AuditCheckpoint checkpoint = null;
                String problem;
                try {
                    checkpoint = mapper.readValue(line, AuditCheckpoint.class);
                    problem = checkpointProblem(checkpoint, key, keyId, hashes);
                } catch (IOException e) {
                    problem = "not a checkpoint (" + problem(e) + ")";
                }
                if (checkpoint == null || problem != null) {
                    if (bad++ < 20) {
                        problems.add(name + ", line " + number + ": " + problem);
                    }
                    continue;
                }
                first = Math.min(first, checkpoint.seq());
                last = Math.max(last, checkpoint.seq());
                count++;
            }
        } catch (IOException e) {
            problems.add(name + ": cannot be read (" + e.getMessage() + ")");
            return;
        }
        if (bad > 20) {
            problems.add(name + ": " + (bad - 20) + " more lines that do not hold");
        }
        facts.add(
                count == 0
                        ? "No signed checkpoint of the audit chain was written in the period: nothing here vouches for"
                                + " the chain's head"
                        : String.format(
                                Locale.ENGLISH,
                                "%,d signed checkpoints of audit entries %,d to %,d",
                                count,
                                first,
                                last));
    }

    private static @Nullable String checkpointProblem(
            AuditCheckpoint checkpoint, PublicKey key, String keyId, Map<Long, String> hashes) {
        if (checkpoint.hash() == null
                || checkpoint.at() == null
                || checkpoint.signature() == null
                || checkpoint.instance() == null) {
            return "the checkpoint of entry " + checkpoint.seq() + " lacks a field";
        }
        if (!keyId.equals(checkpoint.keyId())) {
            return "the checkpoint of entry " + checkpoint.seq() + " names key " + checkpoint.keyId() + ", not "
                    + keyId;
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(checkpoint.signature());
        } catch (IllegalArgumentException e) {
            return "the checkpoint of entry " + checkpoint.seq() + " has a signature that is not base64";
        }
        if (!SigningKey.verify(key, AuditCheckpoints.payload(checkpoint), signature)) {
            return "the signature of the checkpoint of entry " + checkpoint.seq() + " does not hold";
        }
        String earlier = hashes.putIfAbsent(checkpoint.seq(), checkpoint.hash());
        if (earlier != null && !earlier.equals(checkpoint.hash())) {
            return "two signed checkpoints give entry " + checkpoint.seq()
                    + " different hashes: the audit chain was rewritten (or restored) between them";
        }
        return null;
    }

    private record Digest(long bytes, String sha256) {}

    private static Digest digest(InputStream in) throws IOException {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                total += n;
            }
            return new Digest(total, HexFormat.of().formatHex(sha256.digest()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** UTF-8 lines of at most {@value #MAX_LINE} characters; a longer one is an IOException. */
    private static final class Lines implements AutoCloseable {
        private final java.io.Reader in;

        Lines(InputStream in) {
            this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        @Nullable
        String next() throws IOException {
            var line = new StringBuilder();
            for (int c; (c = in.read()) >= 0; ) {
                if (c == '\n') {
                    return line.toString();
                }
                if (line.length() == MAX_LINE) {
                    throw new IOException("a line longer than " + MAX_LINE + " characters");
                }
                line.append((char) c);
            }
            return line.isEmpty() ? null : line.toString();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The whole of a small file; null (with the problem noted) when it is missing, too big or unreadable. */
    private byte @Nullable [] read(ZipFile zip, @Nullable ZipEntry entry, String name, long max) {
        if (entry == null) {
            problems.add(name + ": missing from the pack");
            return null;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > max) {
                problems.add(name + ": larger than any pack holds");
                return null;
            }
            return bytes;
        } catch (IOException e) {
            problems.add(name + ": damaged in the zip (" + e.getMessage() + ")");
            return null;
        }
    }

    /** Jackson's complaint without the source excerpt it adds. */
    private static String problem(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                ? j.getOriginalMessage()
                : String.valueOf(e.getMessage());
    }

    static PublicKey publicKey(String pem) throws GeneralSecurityException {
        var matcher = PEM.matcher(pem);
        if (!matcher.find()) {
            throw new GeneralSecurityException("no PEM public key");
        }
        return SigningKey.publicKey(matcher.group(1).replaceAll("\\s", ""));
    }
}
