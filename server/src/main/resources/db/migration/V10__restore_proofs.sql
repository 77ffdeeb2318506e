-- A restore test is evidence, so its history is append-only, like the audit trail's. Like the
-- audit trail it names backups and staff by id without foreign keys: a table an append-only one
-- refers to could not be emptied in one step (TRUNCATE) by a restore, which then loads it in order.
ALTER TABLE restore_tests DROP CONSTRAINT restore_tests_backup_id_fkey;
ALTER TABLE restore_tests DROP CONSTRAINT restore_tests_requested_by_fkey;
CREATE FUNCTION restore_tests_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'restore_tests is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER restore_tests_no_update_delete BEFORE UPDATE OR DELETE ON restore_tests
    FOR EACH ROW EXECUTE FUNCTION restore_tests_refuse_change();
CREATE TRIGGER restore_tests_no_truncate BEFORE TRUNCATE ON restore_tests
    FOR EACH STATEMENT EXECUTE FUNCTION restore_tests_refuse_change();

-- The restore tests that prove the backups can be recovered: passed tests of the backup that was
-- the newest completed one when the test started. Proving an older archive says nothing about
-- the newer ones, so it does not end a stretch of unproven backups. proven_at is when the test
-- ended.
CREATE VIEW restore_proofs AS
SELECT t.id,
       t.backup_id,
       t.started_at + coalesce(t.duration_ms, 0) * interval '1 millisecond' AS proven_at,
       t.recovery_point,
       t.trigger,
       t.duration_ms
FROM restore_tests t
WHERE t.verified
  AND NOT EXISTS (SELECT 1 FROM backups newer
                  WHERE newer.status = 'completed'
                    AND newer.created_at > t.recovery_point
                    AND newer.completed_at <= t.started_at);
