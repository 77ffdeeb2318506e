/**
 * Who may call what: the table of every route with its permission, the permissions and the roles
 * they admit, and the principal a request is made as. The HTTP layer checks it before any handler
 * runs; services take the principal.
 */
@NullMarked
package io.steward.server.access;

import org.jspecify.annotations.NullMarked;
