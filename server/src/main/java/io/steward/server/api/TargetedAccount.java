package io.steward.server.api;

import java.time.Instant;

/**
 * An account name that failed to sign in more often than the per-account ceiling allows within
 * the address window, from all addresses together ({@code GET /api/v1/auth/lockouts}). It is not
 * locked for that: it raises the {@code auth.accounts.targeted} alert so that an admin can look.
 */
public record TargetedAccount(String email, int failures, int addresses, Instant firstFailure, Instant lastFailure) {}
