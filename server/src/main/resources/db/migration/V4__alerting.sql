-- Alerting: when an alert fired and with what value, how it ended, whether it was silenced;
-- silences ended early; the four rules every installation starts with.

ALTER TABLE alert_events
    ADD COLUMN fired_at       timestamptz,
    ADD COLUMN fired_value    double precision,
    ADD COLUMN resolved_value double precision,
    ADD COLUMN silenced       boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT alert_events_fired_check CHECK (state = 'pending' OR fired_at IS NOT NULL),
    ADD CONSTRAINT alert_events_resolved_check CHECK ((state = 'resolved') = (resolved_at IS NOT NULL));

ALTER TABLE silences
    ADD COLUMN ended_at timestamptz,
    ADD COLUMN ended_by uuid REFERENCES users (id),
    ADD CONSTRAINT silences_reason_check CHECK (length(btrim(reason)) > 0);
CREATE INDEX silences_matcher ON silences (matcher, ends_at DESC);

INSERT INTO alert_rules (id, name, description, metric, operator, threshold, for_seconds, severity) VALUES
    ('5d1c3e2a-0001-4000-8000-000000000001', 'HighErrorRate',
     'More than 5 % of requests answered with a server error over the last 5 minutes',
     'http.errors.ratio', '>', 0.05, 300, 'warning'),
    ('5d1c3e2a-0001-4000-8000-000000000002', 'DatabaseUnreachable',
     'The database has not answered the health check for a minute',
     'db.up', '==', 0, 60, 'critical'),
    ('5d1c3e2a-0001-4000-8000-000000000003', 'HighMemoryUsage',
     'More than 90 % of the machine''s memory in use for 10 minutes',
     'system.memory.used.percent', '>', 90, 600, 'warning'),
    ('5d1c3e2a-0001-4000-8000-000000000004', 'LowRegistrations',
     'Fewer than 0.5 platform registrations per hour, for 2 hours',
     'platform.registrations', '<', 0.5, 7200, 'info');
