/**
 * Shared controls and formatting for the screens: loading a screen's layout, themes, labels and
 * table columns, dates, messages, file dialogs, history lists, PNG export.
 */
@NullMarked
package io.steward.console.ui;

import org.jspecify.annotations.NullMarked;
