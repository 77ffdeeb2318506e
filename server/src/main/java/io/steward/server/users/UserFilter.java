package io.steward.server.users;

import io.steward.server.api.Role;
import java.time.Instant;
import java.util.Optional;

/**
 * What a user list asks for. {@code search} is the text as typed, stripped: its words, folded
 * (case and accents) by the database, must each appear in the e-mail or the name
 * ({@link UserRepository#list}). {@code dormantSince} keeps staff who have not signed in since
 * then (or never).
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
