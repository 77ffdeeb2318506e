-- Signed checkpoints of the audit chain's head: every minute the server signs {seq, hash, time}
-- of the newest entry with its Ed25519 key and keeps the checkpoint here and, append-only, in a
-- file outside the database. A tail cut off the chain no longer verifies: the newest checkpoint
-- names entries that are gone, and a checkpoint cannot be made without the key.
CREATE TABLE audit_checkpoints (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq        bigint      NOT NULL,
    hash       bytea       NOT NULL CHECK (octet_length(hash) = 32),
    at         timestamptz NOT NULL,
    key_id     text        NOT NULL,
    signature  bytea       NOT NULL,
    instance   text        NOT NULL
);
CREATE INDEX audit_checkpoints_seq ON audit_checkpoints (seq DESC);
CREATE INDEX audit_checkpoints_at ON audit_checkpoints (at);
GRANT SELECT, INSERT ON audit_checkpoints TO steward_server;
GRANT USAGE, SELECT ON SEQUENCE audit_checkpoints_id_seq TO steward_server;

-- Entries are only ever appended after the newest one: an entry slipped in below it (an explicit
-- sequence number) would sit where a check since the last checkpoint never looks.
CREATE FUNCTION audit_log_append_only_at_end() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.seq <= (SELECT max(seq) FROM public.audit_log) THEN
        RAISE EXCEPTION 'audit_log is append-only: entry % would not be the newest', NEW.seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_appends_at_end BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only_at_end();
