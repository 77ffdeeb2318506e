/** The Backups screen: the list with each backup's restore-test verdict, backing up now, verifying one. */
@NullMarked
package io.steward.console.backups;

import org.jspecify.annotations.NullMarked;
