/** The Compliance reports screen: pick a report and a period, preview its figures, save it as PDF, CSV or JSON. */
@NullMarked
package io.steward.console.reports;

import org.jspecify.annotations.NullMarked;
