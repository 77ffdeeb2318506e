/** Demo data for an empty platform: realistic, deterministic, loaded with COPY. */
@NullMarked
package io.steward.server.demo;

import org.jspecify.annotations.NullMarked;
