-- Retention may remove the oldest audit entries (7 years by default), and only through the
-- retention job's own path: it sets steward.audit_retention for its transaction. Everything
-- else is still refused. The job records where the remaining chain now starts (the anchor).
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('steward.audit_retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TABLE audit_anchor (
    id          integer     PRIMARY KEY CHECK (id = 1),
    prev_hash   bytea       NOT NULL CHECK (octet_length(prev_hash) = 32),
    first_seq   bigint      NOT NULL,
    removed     bigint      NOT NULL,
    anchored_at timestamptz NOT NULL
);
