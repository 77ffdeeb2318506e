package io.steward.server.api;

/**
 * What staff can do with a backup; each backup view lists those its reader may take now ({@link
 * BackupView#actions()}). {@code verify}: prove it by a restore test ({@code POST
 * /api/v1/backups/{id}/verify}).
 */
public enum BackupAction implements WireName {
    VERIFY;
}
