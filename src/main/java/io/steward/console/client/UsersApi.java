package io.steward.console.client;

import io.steward.server.api.AuditEntry;
import io.steward.server.api.CreateUserRequest;
import io.steward.server.api.Endpoint;
import io.steward.server.api.Page;
import io.steward.server.api.UpdateUserRequest;
import io.steward.server.api.UserDetail;
import io.steward.server.api.UserView;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/** The platform's users and staff accounts. */
public final class UsersApi {
    private final Transport transport;

    UsersApi(Transport transport) {
        this.transport = transport;
    }

    /**
     * One page of users, newest first: {@code q} a fragment of name or e-mail, {@code role} and
     * {@code status} (active, inactive, deleted) filters; empty strings mean no filter.
     */
    public Page<UserView> list(
            String q, String role, String status, @Nullable String cursor, int limit, Cancellation cancellation) {
        return transport.send(ApiCall.page(Endpoint.USERS, UserView.class)
                .query("limit", limit)
                .query("q", q.strip())
                .query("role", role)
                .query("status", status)
                .query("cursor", cursor)
                .cancellable(cancellation));
    }

    /** A user with contact details and counts of related records. */
    public UserDetail get(UUID id) {
        return transport.send(ApiCall.of(Endpoint.USER, UserDetail.class, id));
    }

    /** Creates an account; staff roles need a password that meets the policy. */
    public UserDetail create(CreateUserRequest account) {
        return transport.send(ApiCall.of(Endpoint.USER_CREATE, UserDetail.class).body(account));
    }

    /** Changes a user; {@code version} is the one the person edited (412 if it changed meanwhile). */
    public UserDetail update(UUID id, long version, UpdateUserRequest change) {
        return transport.send(ApiCall.of(Endpoint.USER_UPDATE, UserDetail.class, id)
                .ifMatch(version)
                .body(change));
    }

    /** The latest {@code limit} audit entries about a user, newest first. */
    public Page<AuditEntry> history(UUID id, int limit) {
        return transport.send(
                ApiCall.page(Endpoint.USER_HISTORY, AuditEntry.class, id).query("limit", limit));
    }

    /** Saves everything the server holds about a user (JSON, GDPR Art. 15/20) to {@code target}; returns its size. */
    public long saveExport(UUID id, Path target, Cancellation cancellation, LongConsumer received) {
        return transport.download(ApiCall.bare(Endpoint.USER_EXPORT, id).cancellable(cancellation), target, received);
    }
}
