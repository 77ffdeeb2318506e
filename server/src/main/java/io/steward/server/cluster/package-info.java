/**
 * Several instances on one PostgreSQL: which of them leads (evaluates alerts, runs the daily
 * jobs), held as a session advisory lock; and the messages they pass each other (LISTEN/NOTIFY),
 * so that a change made through one is seen on the live streams of all.
 */
@NullMarked
package io.steward.server.cluster;

import org.jspecify.annotations.NullMarked;
