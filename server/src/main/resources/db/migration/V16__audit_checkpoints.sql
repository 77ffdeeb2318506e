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
