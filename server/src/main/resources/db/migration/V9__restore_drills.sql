-- Restore tests as a history, not only the last verdict on each backup: when each ran, whether a
-- person asked for it or the drill schedule did, how long the restore took (the measured recovery
-- time), how old the data it proved was (the recovery point: the backup's snapshot time), and its
-- verdict. Reports derive from it the drills of a period and the longest time no backup was proven.
CREATE TABLE restore_tests (
    id             uuid        PRIMARY KEY,
    backup_id      uuid        NOT NULL REFERENCES backups (id),
    trigger        text        NOT NULL CHECK (trigger IN ('manual', 'drill')),
    started_at     timestamptz NOT NULL,
    duration_ms    bigint      CHECK (duration_ms >= 0),
    recovery_point timestamptz NOT NULL,
    verified       boolean     NOT NULL,
    reason         text,
    requested_by   uuid        REFERENCES users (id),
    CHECK (verified = (reason IS NULL))
);
CREATE INDEX restore_tests_started ON restore_tests (started_at DESC);

-- restore tests run before this history existed: their verdicts (how long they took was not kept)
INSERT INTO restore_tests (id, backup_id, trigger, started_at, duration_ms, recovery_point, verified, reason, requested_by)
SELECT gen_random_uuid(), id, 'manual', verified_at, NULL, created_at, verified,
       CASE WHEN verified THEN NULL ELSE coalesce(verify_reason, 'failed') END, verified_by
FROM backups WHERE verified_at IS NOT NULL AND verified IS NOT NULL;

INSERT INTO alert_rules (id, name, description, metric, operator, threshold, for_seconds, severity) VALUES
    ('5d1c3e2a-0001-4000-8000-000000000005', 'BackupNotProven',
     'No backup has been proven by a restore test for more than 8 days',
     'backup.unproven.days', '>', 8, 0, 'critical')
ON CONFLICT DO NOTHING;
