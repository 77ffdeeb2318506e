package io.steward.server.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A user with their contact details and how much related data they have. */
public record UserDetail(
        UUID id,
        String email,
        String name,
        Role role,
        boolean active,
        boolean emailVerified,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant lastLogin,
        long version,
        @Nullable Instant deletedAt,
        boolean anonymized,
        boolean processingRestricted,
        boolean marketingConsent,
        @Nullable String phone,
        @Nullable String street,
        @Nullable String city,
        @Nullable String postalCode,
        @Nullable String country,
        @Nullable LocalDate dateOfBirth,
        Counts counts) {

    /** The same user as a list shows them. */
    public UserView summary() {
        return new UserView(id, email, name, role, active, emailVerified, createdAt, updatedAt, lastLogin, version);
    }

    /** Related records, as support sees them before an export or an erasure. */
    public record Counts(
            long enrollments,
            long communications,
            long sessions,
            long emailLogs,
            long gdprRequests,
            long auditEntries) {}
}
