/**
 * The principal a request is made as: who signed in, with which role and session. The HTTP layer
 * authenticates and authorizes each request against {@link io.steward.server.api.Endpoint} before
 * any handler runs; services take the principal.
 */
@NullMarked
package io.steward.server.access;

import org.jspecify.annotations.NullMarked;
