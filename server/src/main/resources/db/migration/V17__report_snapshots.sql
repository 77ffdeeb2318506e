-- Each report as it was generated: its JSON, CSV and PDF rendered once, so the preview and every
-- form saved from it are one report, with one digest and one signed generation. The server may
-- add snapshots and read them, never change or remove them: what was handed out stays as it was.
CREATE TABLE report_snapshots (
    id           uuid        PRIMARY KEY,
    type         text        NOT NULL,
    period_from  date        NOT NULL,
    period_to    date        NOT NULL,
    sha256       text        NOT NULL,
    generated_at timestamptz NOT NULL,
    generated_by uuid        NOT NULL,
    json         bytea       NOT NULL,
    csv          bytea       NOT NULL,
    pdf          bytea       NOT NULL,
    CONSTRAINT report_snapshots_type_check CHECK (type IN ('soc2', 'gdpr', 'iso27001')),
    CONSTRAINT report_snapshots_period_check CHECK (period_from <= period_to),
    CONSTRAINT report_snapshots_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$')
);
CREATE INDEX report_snapshots_generated ON report_snapshots (generated_at DESC, id);
GRANT SELECT, INSERT ON report_snapshots TO steward_server;
