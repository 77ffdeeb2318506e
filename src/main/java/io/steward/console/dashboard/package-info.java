/** The dashboard: the server's health and vital signs at a glance, live. */
@NullMarked
package io.steward.console.dashboard;

import org.jspecify.annotations.NullMarked;
