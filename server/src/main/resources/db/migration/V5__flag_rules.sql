-- Feature flags: users a flag is always on for (while enabled), whatever the percentage.
ALTER TABLE feature_flags
    ADD COLUMN rules      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
