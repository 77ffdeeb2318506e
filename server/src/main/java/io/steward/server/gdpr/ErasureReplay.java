package io.steward.server.gdpr;

import io.steward.server.audit.AuditService;
import io.steward.server.audit.SubjectKeyRepository;
import io.steward.server.db.Tx;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Brings a database in line with the erasure ledger: every erasure the ledger holds and the data
 * does not reflect (a restored backup older than the erasure, say) is done again — the subject
 * anonymised in every table, their audit key destroyed, the request completed, the entry added to
 * the table's copy of the ledger, and {@code gdpr.erasure_replayed} recorded.
 */
public final class ErasureReplay {
    private final ErasureLedgerRepository ledger = new ErasureLedgerRepository();
    private final ErasureRepository erasure = new ErasureRepository();
    private final SubjectKeyRepository keys = new SubjectKeyRepository();
    private final AuditService audit;

    public ErasureReplay(AuditService audit) {
        this.audit = audit;
    }

    /**
     * Applies {@code entries} (a whole ledger, oldest first) in the caller's transaction and returns
     * how many erasures had to be done again; {@code source} says why, for the audit trail. Throws
     * {@link ErasureLedger.Broken} if the database's copy of the ledger is not a copy of this one.
     */
    public int apply(Tx tx, List<ErasureLedger.Entry> entries, String source) throws SQLException {
        List<ErasureLedger.Entry> held = ledger.all(tx);
        var merged = ErasureLedger.merge(List.of(held, entries));
        var heldSeqs = new HashSet<Long>();
        held.forEach(entry -> heldSeqs.add(entry.seq()));
        int replayed = 0;
        for (ErasureLedger.Entry entry : merged) {
            if (!heldSeqs.contains(entry.seq())) {
                ledger.insert(tx, entry);
            }
            if (ledger.reflected(tx, entry.subjectId())) {
                continue;
            }
            var details = new LinkedHashMap<String, Object>();
            details.put("requestId", entry.requestId().toString());
            details.put("ledgerSeq", entry.seq());
            details.put("erasedAt", entry.completedAt().toString());
            details.put("source", source);
            details.put("anonymised", erasure.anonymise(tx, entry.subjectId(), entry.completedAt()));
            keys.destroy(tx, entry.subjectId(), entry.completedAt());
            ledger.completeRequest(tx, entry);
            audit.record(tx, new AuditService.Event(null, "gdpr.erasure_replayed", entry.subjectId(), null, details));
            replayed++;
        }
        return replayed;
    }
}
