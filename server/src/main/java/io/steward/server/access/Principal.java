package io.steward.server.access;

import io.steward.server.api.Role;
import java.time.Instant;
import java.util.UUID;

/** The signed-in staff member behind a request, and the token they used. */
public record Principal(UUID userId, String email, String name, Role role, UUID tokenId, Instant expiresAt) {}
