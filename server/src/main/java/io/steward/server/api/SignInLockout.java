package io.steward.server.api;

import java.time.Instant;

/**
 * An account name locked out of signing in from one address after too many failed attempts
 * ({@code GET /api/v1/auth/lockouts}); the name is as typed, whether or not such an account exists.
 */
public record SignInLockout(String email, String ip, Instant lockedAt, Instant lockedUntil) {}
