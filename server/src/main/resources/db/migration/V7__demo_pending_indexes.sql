-- Demo seeding commits its rows with their keys, unique indexes and foreign keys, then builds the
-- other indexes on two connections at once. The statements still to run are kept here, so that a
-- server stopped in between builds them at its next start.
ALTER TABLE demo_seed ADD COLUMN pending_indexes jsonb NOT NULL DEFAULT '[]'::jsonb;
