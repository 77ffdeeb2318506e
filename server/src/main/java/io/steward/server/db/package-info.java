/** Plumbing for PostgreSQL: the embedded server, the pool, migrations and transactions. */
@NullMarked
package io.steward.server.db;

import org.jspecify.annotations.NullMarked;
