-- Evidence of how a data-subject request was answered, without keeping a copy of the data:
-- the SHA-256 of the export handed over (access, portability), and for a rejection the
-- confirmation that the subject was told of their right to complain (Art. 12(4)).
ALTER TABLE gdpr_requests ADD COLUMN evidence_sha256 text;
ALTER TABLE gdpr_requests ADD COLUMN complaint_right_told boolean;
ALTER TABLE gdpr_requests ADD CONSTRAINT gdpr_requests_evidence_check
    CHECK (evidence_sha256 IS NULL OR evidence_sha256 ~ '^[0-9a-f]{64}$');
