/** Running a Steward server inside another Java program: the console's "this computer" mode, and the command line. */
@NullMarked
package io.steward.server.embed;

import org.jspecify.annotations.NullMarked;
