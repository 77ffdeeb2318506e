/**
 * Compliance reports (SOC 2, GDPR, ISO 27001) computed in the database from what Steward recorded,
 * served as canonical JSON with its SHA-256, as a spreadsheet-safe CSV and as a PDF document.
 */
@NullMarked
package io.steward.server.reports;

import org.jspecify.annotations.NullMarked;
