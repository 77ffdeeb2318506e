-- Least privilege. Three roles (created beforehand by whoever sets the database up — the
-- embedded PostgreSQL does it itself, docs/deploy/README.md gives the SQL — or here when the
-- migrating role may create roles):
--   steward_owner      owns the tables and runs these migrations (the role running them now);
--   steward_server     what the server does everything else as: no DDL, and on the evidence
--                      tables (audit trail, erasure ledger, restore tests) only SELECT and INSERT;
--   steward_retention  cannot sign in; owns the one function that may remove audit entries.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'steward_server') THEN
        CREATE ROLE steward_server NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'steward_retention') THEN
        CREATE ROLE steward_retention NOLOGIN;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE EXCEPTION 'the roles steward_server and steward_retention are missing and % may not create them:'
        ' create them as docs/deploy/README.md says', current_user;
END;
$$;

-- nobody but the owner creates objects in the schema (PostgreSQL before 15 lets everyone)
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO steward_server, steward_retention;

GRANT SELECT, INSERT, UPDATE, DELETE ON
    users, programs, enrollments, communications, user_sessions, email_logs, staff_tokens,
    login_attempts, subject_keys, gdpr_requests, gdpr_request_recipients, feature_flags,
    alert_rules, alert_events, silences, health_history, health_coverage, backups, demo_seed
    TO steward_server;
GRANT SELECT, INSERT ON audit_log, erasure_ledger, restore_tests TO steward_server;
GRANT SELECT ON audit_anchor, staff_links, restore_proofs, flyway_schema_history TO steward_server;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO steward_server;
-- erasure rewrites subject_keys without the destroyed keys' bytes (VACUUM FULL), which takes
-- the table's owner or, from PostgreSQL 17, the MAINTAIN privilege
DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 170000 THEN
        EXECUTE 'GRANT MAINTAIN ON subject_keys TO steward_server';
    END IF;
END;
$$;

-- How long audit entries are kept: set by the owner (the server applies --retention
-- audit_log=DAYS when it has the owner's credentials), read by the retention function.
CREATE TABLE audit_retention_policy (
    id        integer PRIMARY KEY CHECK (id = 1),
    keep_days integer NOT NULL CHECK (keep_days >= 365)
);
INSERT INTO audit_retention_policy (id, keep_days) VALUES (1, 2555);
GRANT SELECT ON audit_retention_policy TO steward_server, steward_retention;

-- The only way audit entries go: the oldest ones, never any newer than the policy allows (a
-- later cutoff is brought back to it), the prefix of the chain before its first entry that is
-- not older than the cutoff, and the chain re-anchored on what remains. Returns how many went.
CREATE FUNCTION audit_retention_delete(p_cutoff timestamptz) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_cutoff  timestamptz;
    v_last    bigint;
    v_hash    bytea;
    v_removed bigint;
BEGIN
    SELECT least(p_cutoff, now() - make_interval(days => keep_days))
        INTO v_cutoff FROM public.audit_retention_policy WHERE id = 1;
    -- the lock every append takes ("StewardA"): no entry is chained onto what is being removed
    PERFORM pg_advisory_xact_lock(6013542965856855105);
    -- the unbroken run of old entries at the start of the chain, up to the first one that is not
    -- old: an entry inserted later with an old time cannot pull newer ones along with it
    SELECT seq, hash INTO v_last, v_hash FROM public.audit_log
        WHERE seq = coalesce(
            (SELECT max(seq) FROM public.audit_log
              WHERE seq < (SELECT min(seq) FROM public.audit_log WHERE at >= v_cutoff)),
            (SELECT max(seq) FROM public.audit_log WHERE NOT EXISTS
                (SELECT 1 FROM public.audit_log WHERE at >= v_cutoff)));
    IF v_last IS NULL THEN
        RETURN 0;
    END IF;
    DELETE FROM public.audit_log WHERE seq <= v_last;
    GET DIAGNOSTICS v_removed = ROW_COUNT;
    INSERT INTO public.audit_anchor (id, prev_hash, first_seq, removed, anchored_at)
        VALUES (1, v_hash, v_last + 1, v_removed, now())
        ON CONFLICT (id) DO UPDATE SET prev_hash = EXCLUDED.prev_hash, first_seq = EXCLUDED.first_seq,
            removed = audit_anchor.removed + EXCLUDED.removed, anchored_at = EXCLUDED.anchored_at;
    RETURN v_removed;
END;
$$;
REVOKE ALL ON FUNCTION audit_retention_delete(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_retention_delete(timestamptz) TO steward_server;
GRANT SELECT, DELETE ON audit_log TO steward_retention;
GRANT SELECT, INSERT, UPDATE ON audit_anchor TO steward_retention;

-- The append-only trigger lets a DELETE through only when it runs as the retention function's
-- owner, which only that function does: there is no setting a session could change any more.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_user = (SELECT pg_get_userbyid(proowner) FROM pg_proc
            WHERE oid = 'public.audit_retention_delete(timestamptz)'::regprocedure) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- handed to the retention role when the migrating role may (the owner is a member of it); a
-- scratch database a restore test makes keeps it with its own owner, who owns everything there
DO $$
BEGIN
    IF pg_has_role(current_user, 'steward_retention', 'MEMBER') THEN
        -- a new owner must be allowed to create in the schema, for the moment of the hand-over
        GRANT CREATE ON SCHEMA public TO steward_retention;
        ALTER FUNCTION audit_retention_delete(timestamptz) OWNER TO steward_retention;
        REVOKE CREATE ON SCHEMA public FROM steward_retention;
    END IF;
END;
$$;
