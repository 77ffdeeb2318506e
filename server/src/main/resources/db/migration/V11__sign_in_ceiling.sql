-- Sign-in lockouts are per account name and address (login_attempts rows with reason 'lockout',
-- ended by a success or an admin's 'unlocked' row); an account's own failure counter and lock are
-- no longer used. A name attacked from many addresses is not locked: it raises this alert.
ALTER TABLE users DROP COLUMN failed_logins, DROP COLUMN locked_until;

INSERT INTO alert_rules (id, name, description, metric, operator, threshold, for_seconds, severity) VALUES
    ('5d1c3e2a-0001-4000-8000-000000000006', 'SignInTargeted',
     'An account name failed to sign in more often than the per-account ceiling allows, from many addresses:'
         || ' see who in Sign-in lockouts',
     'auth.accounts.targeted', '>', 0, 0, 'warning')
ON CONFLICT DO NOTHING;
