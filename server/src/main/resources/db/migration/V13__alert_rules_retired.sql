-- Alert history is never deleted by a configuration change: a removed rule is retired (hidden
-- from the rules, never evaluated) and its alerts keep pointing at it. Deleting a rule row that
-- has alerts is refused by the database; its name may be used again by a new rule.
ALTER TABLE alert_rules ADD COLUMN retired_at timestamptz;
ALTER TABLE alert_rules DROP CONSTRAINT alert_rules_name_key;
CREATE UNIQUE INDEX alert_rules_live_name ON alert_rules (name) WHERE retired_at IS NULL;
ALTER TABLE alert_events
    DROP CONSTRAINT alert_events_rule_id_fkey,
    ADD CONSTRAINT alert_events_rule_id_fkey FOREIGN KEY (rule_id) REFERENCES alert_rules (id);
