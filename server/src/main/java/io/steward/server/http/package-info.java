/** HTTP plumbing: routing, the access check, request ids, security headers, error mapping, JSON. */
@NullMarked
package io.steward.server.http;

import org.jspecify.annotations.NullMarked;
