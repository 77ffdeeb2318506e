/**
 * Backups: logical archives of every table written through PostgreSQL COPY, proven by restoring
 * each into a scratch database and comparing it with what was recorded; the daily schedule and
 * its pruning; the {@code steward-server restore} command.
 */
@NullMarked
package io.steward.server.backup;

import org.jspecify.annotations.NullMarked;
