-- The erasure ledger: one entry per completed erasure (GDPR Art. 17), appended in the transaction
-- that anonymises the subject. It holds ids and times only, no personal values, and is kept here
-- and, in step with this table, in a file beside the backups (erasures.ledger). A restore replays
-- every entry the restored data does not reflect, so an erasure outlives every older backup.
--   hash = SHA-256(prev_hash || canonical JSON of the entry); seq orders the chain from 1.
CREATE TABLE erasure_ledger (
    seq          bigint      PRIMARY KEY CHECK (seq > 0),
    subject_id   uuid        NOT NULL,
    request_id   uuid        NOT NULL,
    completed_at timestamptz NOT NULL,
    approved_by  uuid,
    completed_by uuid,
    prev_hash    text        NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash         text        NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX erasure_ledger_subject ON erasure_ledger (subject_id);

CREATE FUNCTION erasure_ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'erasure_ledger is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER erasure_ledger_no_update_delete BEFORE UPDATE OR DELETE ON erasure_ledger
    FOR EACH ROW EXECUTE FUNCTION erasure_ledger_refuse_change();
CREATE TRIGGER erasure_ledger_no_truncate BEFORE TRUNCATE ON erasure_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION erasure_ledger_refuse_change();
