package io.steward.server.users;

import io.steward.server.db.Tx;
import io.steward.server.error.ServiceException;
import java.sql.SQLException;
import java.util.UUID;

/**
 * At least one active admin, always. Every path that can take an admin away (deactivation,
 * demotion, erasure, restriction) takes {@link UserRepository#lockAdmins} before it locks any user
 * row and then asks {@link #keep}; two admins removing each other at the same moment are
 * serialised, and the second is refused.
 */
public final class LastAdmin {
    private LastAdmin() {}

    /**
     * Refuses with {@code 409 LAST_ADMIN} when {@code account} is an active admin and no other one
     * is left; {@code change} says what was asked ("deactivating", "erasing" …).
     */
    public static void keep(UserRepository users, Tx tx, UUID account, String change) throws SQLException {
        var admins = users.admins(tx, account);
        if (admins.isActiveAdmin() && admins.others() == 0) {
            throw new ServiceException.LastAdmin(
                    change + " this account would leave no active admin; appoint another admin first");
        }
    }
}
