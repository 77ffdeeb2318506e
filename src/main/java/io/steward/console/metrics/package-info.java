/** Live metric charts over 5 minutes, an hour or a day, with export to CSV and PNG. */
@NullMarked
package io.steward.console.metrics;

import org.jspecify.annotations.NullMarked;
