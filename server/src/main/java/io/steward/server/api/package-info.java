/**
 * The JSON records of Steward's HTTP API, shared with the console. Nothing here knows about
 * HTTP frameworks or the database.
 */
@NullMarked
package io.steward.server.api;

import org.jspecify.annotations.NullMarked;
