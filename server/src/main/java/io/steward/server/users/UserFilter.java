package io.steward.server.users;

import io.steward.server.api.Role;
import java.time.Instant;
import java.util.Optional;

/**
 * What a user list asks for. {@code search} is already lower-cased; {@code dormantSince} keeps
 * staff who have not signed in since then (or never).
 */
public record UserFilter(Optional<String> search, Optional<Role> role, Status status, Optional<Instant> dormantSince) {

    /** Which accounts by state; the default leaves out deleted ones. */
    public enum Status {
        NOT_DELETED,
        ACTIVE,
        INACTIVE,
        DELETED
    }
}
