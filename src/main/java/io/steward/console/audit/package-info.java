/** The Audit log screen: the tamper-evident trail, filtered and paged, each entry's details, and the chain check. */
@NullMarked
package io.steward.console.audit;

import org.jspecify.annotations.NullMarked;
