-- User search ignores case and accents: "melissa" finds "Mélissa", "MÉLISSA" finds "Melissa".
-- steward_fold is what the search compares on both sides: the e-mail and name as the index holds
-- them, and each word of the query. unaccent() is only STABLE (its dictionary could be changed),
-- and an index needs an IMMUTABLE expression: the wrapper promises that, with the function and its
-- dictionary named with their schema, so that it means the same under any search_path (a restore,
-- VACUUM, ANALYZE, another role's session).
--
-- PostgreSQL ships unaccent in contrib as a trusted extension: a role with CREATE on the database
-- (its owner, as docs/deploy/README.md sets it up) may create it. Where the migrating role may
-- not, or PostgreSQL lacks it, this stops here, before anything changed, and says what to do
-- (docs/deploy/README.md, "Extensions").
DO $$
DECLARE
    v_schema name;
BEGIN
    SELECT n.nspname INTO v_schema
        FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent';
    IF v_schema IS NULL THEN
        CREATE EXTENSION unaccent SCHEMA public;
    ELSIF v_schema <> 'public' THEN
        RAISE EXCEPTION 'the extension unaccent is in schema %, and Steward''s user search needs it in public', v_schema
            USING HINT = 'as a superuser or the extension''s owner: ALTER EXTENSION unaccent SET SCHEMA public'
                ' (docs/deploy/README.md, "Extensions")';
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'the extension unaccent is missing from database % and % may not create it',
                current_database(), current_user
            USING HINT = 'as a superuser, connected to that database: CREATE EXTENSION unaccent SCHEMA public'
                ' (docs/deploy/README.md, "Extensions")';
    WHEN feature_not_supported OR undefined_file THEN
        RAISE EXCEPTION 'this PostgreSQL has no extension unaccent: install its contrib modules'
                ' (Debian''s and Ubuntu''s postgresql-<version> include them; elsewhere postgresql<version>-contrib)'
            USING HINT = 'docs/deploy/README.md, "Extensions"';
END;
$$;

-- PL/pgSQL rather than SQL: PostgreSQL cannot inline this function (IMMUTABLE over a STABLE one),
-- and a call of an SQL function it does not inline costs nearly twice as much as this one's, on
-- every row a search's index lookup rechecks.
CREATE FUNCTION steward_fold(text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ BEGIN RETURN pg_catalog.lower(public.unaccent('public.unaccent'::regdictionary, $1)); END $$;
COMMENT ON FUNCTION steward_fold(text) IS
    'lower case, accents removed: what user search compares (the index users_search_trgm, each word searched)';

-- one trigram index over e-mail and name together, folded: every word of a search is a condition
-- on it, and one index scan answers them all. A word never holds a space, so it matches within the
-- e-mail or within the name, never across the space between them.
DROP INDEX IF EXISTS users_email_trgm;
DROP INDEX IF EXISTS users_name_trgm;
CREATE INDEX users_search_trgm ON users USING gin (steward_fold(email || ' ' || name) gin_trgm_ops);

-- a demo seeding interrupted before its index builds must not bring the two old indexes back
UPDATE demo_seed SET pending_indexes = coalesce(
        (SELECT jsonb_agg(statement) FROM jsonb_array_elements_text(pending_indexes) statement
          WHERE statement NOT LIKE 'CREATE INDEX users_email_trgm %'
            AND statement NOT LIKE 'CREATE INDEX users_name_trgm %'),
        '[]'::jsonb);
