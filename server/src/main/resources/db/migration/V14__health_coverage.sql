-- The stretches of time some instance was running its health checks. Time outside every
-- stretch (Steward stopped, or every instance was) is unknown: availability is computed over the
-- time that was observed and says how much was not.
CREATE TABLE health_coverage (
    id          uuid        PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    seen_until  timestamptz NOT NULL,
    CONSTRAINT health_coverage_order CHECK (seen_until >= started_at)
);
CREATE INDEX health_coverage_until ON health_coverage (seen_until);
