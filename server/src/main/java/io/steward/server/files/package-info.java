/** Files holding data or keys: owner-only (0600) in owner-only folders (0700), whatever the umask. */
@NullMarked
package io.steward.server.files;

import org.jspecify.annotations.NullMarked;
