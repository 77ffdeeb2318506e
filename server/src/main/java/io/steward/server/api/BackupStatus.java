package io.steward.server.api;

/** Where a backup stands: being written, written and complete, or failed. On the wire in lower case. */
public enum BackupStatus implements WireName {
    RUNNING,
    COMPLETED,
    FAILED;
}
