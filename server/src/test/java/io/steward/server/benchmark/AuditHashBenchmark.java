package io.steward.server.benchmark;

import io.steward.server.audit.AuditRepository;
import io.steward.server.audit.AuditService;
import io.steward.server.audit.SubjectKeyRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The audit chain's code path, per entry: the canonical JSON of an entry and its SHA-256 linked
 * to the previous hash, against SHA-256 of the same bytes already made (the baseline: what
 * hashing alone costs). JMH; see docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AuditHashBenchmark {
    private AuditService audit;
    private byte[] previous;
    private UUID id;
    private Instant at;
    private UUID actor;
    private UUID subject;
    private String details;
    private byte[] canonicalBytes;

    @Setup
    public void setUp() {
        // the chain's hashing needs no database; the service is made without one
        audit = new AuditService(null, new AuditRepository(), new SubjectKeyRepository(), Clock.systemUTC());
        previous = HexFormat.of().parseHex("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        id = UUID.randomUUID();
        at = Instant.parse("2026-11-29T10:15:30.123456Z");
        actor = UUID.randomUUID();
        subject = UUID.randomUUID();
        details =
                "{\"from\": \"received\", \"type\": \"access\", \"personal\": \"v1.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g\","
                        + " \"requestId\": \"" + UUID.randomUUID() + "\"}";
        canonicalBytes = audit.canonicalJson(id, at, actor, "gdpr.request_verified", subject, "req-1", details)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public byte[] canonicalJsonAndChainedHash() {
        return AuditService.chain(
                previous, audit.canonicalJson(id, at, actor, "gdpr.request_verified", subject, "req-1", details));
    }

    @Benchmark
    public byte[] baselineSha256OfTheSameBytes() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(previous);
        sha.update(canonicalBytes);
        return sha.digest();
    }
}
