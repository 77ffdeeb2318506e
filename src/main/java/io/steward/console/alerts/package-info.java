/** Alerts: what fires and has fired, the rules behind them and their editor, and desktop notifications. */
@NullMarked
package io.steward.console.alerts;

import org.jspecify.annotations.NullMarked;
