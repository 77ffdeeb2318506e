package io.steward.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The database roles Steward uses (migration V15 says what each may do): {@link #OWNER} owns the
 * tables and runs the migrations, {@link #SERVER} is what the server does everything else as, and
 * {@link #RETENTION} owns the one function that may remove audit entries. For an external
 * PostgreSQL, docs/deploy/README.md gives the SQL that makes them; the embedded one makes them
 * itself through {@link #create} and {@link #handOver}.
 */
public final class DatabaseRoles {
    public static final String OWNER = "steward_owner";
    public static final String SERVER = "steward_server";
    public static final String RETENTION = "steward_retention";

    private DatabaseRoles() {}

    /**
     * Makes (or brings up to date) the three roles, on a connection of a superuser: the owner and
     * the server role sign in with the given passwords; the server role may create databases, for
     * the scratch databases restore tests restore into.
     */
    public static void create(Connection superuser, String ownerPassword, String serverPassword) throws SQLException {
        ensureRole(superuser, OWNER, "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE", ownerPassword);
        ensureRole(superuser, SERVER, "LOGIN NOSUPERUSER CREATEDB NOCREATEROLE", serverPassword);
        ensureRole(superuser, RETENTION, "NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE", null);
        try (Statement s = superuser.createStatement()) {
            s.execute("GRANT " + RETENTION + " TO " + OWNER);
        }
    }

    private static void ensureRole(Connection c, String role, String attributes, @Nullable String password)
            throws SQLException {
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + role + " " + attributes
                    + (password == null ? "" : " PASSWORD " + literal(password)));
        }
    }

    /**
     * Gives {@link #OWNER} the {@code public} schema of the database {@code superuser} is connected
     * to and every table, view, sequence and function in it that another role owns (a database a
     * superuser migrated or restored), extensions' own objects aside; first it makes the extensions
     * the migrations use, which the owner may not create in a database it does not own. Idempotent.
     */
    public static void handOver(Connection superuser) throws SQLException {
        var statements = new ArrayList<String>();
        statements.add("CREATE EXTENSION IF NOT EXISTS pg_trgm");
        statements.add("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public");
        statements.add("ALTER SCHEMA public OWNER TO " + OWNER);
        try (Statement s = superuser.createStatement();
                ResultSet rs = s.executeQuery("""
                        SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END,
                               quote_ident(c.relname)
                        FROM pg_class c
                        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'S')
                          AND pg_get_userbyid(c.relowner) <> '%s'
                          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                          AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
                        UNION ALL
                        SELECT 'FUNCTION', p.oid::regprocedure::text
                        FROM pg_proc p
                        WHERE p.pronamespace = 'public'::regnamespace
                          AND pg_get_userbyid(p.proowner) NOT IN ('%s', '%s')
                          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                          AND d.objid = p.oid AND d.deptype = 'e')
                        """.formatted(OWNER, OWNER, RETENTION))) {
            while (rs.next()) {
                statements.add("ALTER " + rs.getString(1) + " " + rs.getString(2) + " OWNER TO " + OWNER);
            }
        }
        try (Statement s = superuser.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /**
     * What the role {@code connection} signs in as could do to the audit trail: whether it is a
     * superuser, and whether it could change or remove entries at all (a superuser, the table's
     * owner or a member of it, a holder of UPDATE, DELETE or TRUNCATE on it, or a member of the
     * retention role).
     */
    public static Access access(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("""
                        SELECT current_user, r.rolsuper,
                               r.rolsuper
                               OR pg_has_role(current_user, c.relowner, 'MEMBER')
                               OR has_table_privilege(c.oid, 'UPDATE')
                               OR has_table_privilege(c.oid, 'DELETE')
                               OR has_table_privilege(c.oid, 'TRUNCATE')
                               OR EXISTS (SELECT 1 FROM pg_proc p
                                          WHERE p.oid = 'public.audit_retention_delete(timestamptz)'::regprocedure
                                            AND pg_has_role(current_user, p.proowner, 'MEMBER'))
                        FROM pg_roles r, pg_class c
                        WHERE r.rolname = current_user AND c.oid = 'public.audit_log'::regclass
                        """)) {
            rs.next();
            return new Access(rs.getString(1), rs.getBoolean(2), !rs.getBoolean(3));
        }
    }

    /**
     * The role the server signs in to its database as.
     *
     * @param superuser whether it is a PostgreSQL superuser
     * @param historyProtected whether it cannot change or delete audit entries (only append them,
     *     and remove the oldest through the retention function)
     */
    public record Access(String role, boolean superuser, boolean historyProtected) {}

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
