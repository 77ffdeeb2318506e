/** What is running: version, uptime, mode, database. */
@NullMarked
package io.steward.server.system;

import org.jspecify.annotations.NullMarked;
