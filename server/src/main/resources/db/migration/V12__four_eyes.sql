-- Four eyes means two persons: an erasure's approver must not be an account its verifier created,
-- re-activated or changed the role of. These are those links, read from the audit trail, used by
-- the approval itself and by the reports that look back over approvals.
CREATE VIEW staff_links AS
SELECT actor_id, subject_id, at,
       CASE WHEN action = 'user.created' THEN 'created'
            WHEN details ? 'role' THEN 'changed the role of'
            ELSE 're-activated' END AS link
FROM audit_log
WHERE actor_id IS NOT NULL AND subject_id IS NOT NULL AND actor_id <> subject_id
  AND (action = 'user.created'
       OR (action = 'user.updated' AND (details ? 'role' OR details -> 'active' ->> 'after' = 'true')));
