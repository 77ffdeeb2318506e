-- An alert is acknowledged by someone who is on it: who, when (the columns were there from the
-- start, unused) and what they said.
ALTER TABLE alert_events
    ADD COLUMN acknowledgement_note text,
    ADD CONSTRAINT alert_events_acknowledged_check CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL)),
    ADD CONSTRAINT alert_events_acknowledgement_note_check
        CHECK (acknowledgement_note IS NULL OR acknowledged_by IS NOT NULL);
