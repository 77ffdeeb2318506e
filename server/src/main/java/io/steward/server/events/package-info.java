/** The live event stream ({@code GET /api/v1/events}): metrics each second, health, alert and audit news. */
@NullMarked
package io.steward.server.events;

import org.jspecify.annotations.NullMarked;
