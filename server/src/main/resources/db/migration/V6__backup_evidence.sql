-- Backups: what each archive holds (per table: columns, rows, SHA-256 of its COPY data) and the
-- schema version it was written at, whether a person or the daily schedule started it, and the
-- verdict of the last restore test with who ran it and the per-table comparison, and when retention
-- removed the file (the row stays: it is the evidence of the backup history).
ALTER TABLE backups
    ADD COLUMN trigger         text  NOT NULL DEFAULT 'manual',
    ADD COLUMN schema_version  text,
    ADD COLUMN manifest        jsonb,
    ADD COLUMN verified_by     uuid  REFERENCES users (id),
    ADD COLUMN verify_tables   jsonb,
    ADD COLUMN pruned_at       timestamptz,
    ADD CONSTRAINT backups_trigger_check CHECK (trigger IN ('manual', 'scheduled')),
    ADD CONSTRAINT backups_completed_check CHECK (status <> 'completed' OR (file_name IS NOT NULL AND checksum IS NOT NULL));
-- the schedule asks "when did the last one finish" and prunes the oldest completed ones
CREATE INDEX backups_status_created ON backups (status, created_at DESC, id DESC);
