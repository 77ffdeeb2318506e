package io.steward.server.credentials;

import io.steward.server.error.ServiceException;
import java.util.Locale;

/**
 * The written policy for staff passwords (docs/security.md): 12 to 1024 characters, not only
 * one repeated character, and not containing the account's e-mail name. Length over
 * composition rules, as NIST SP 800-63B advises.
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 1024;

    private PasswordPolicy() {}

    /** @throws ServiceException.Validation on field {@code field} naming what is wrong */
    public static void check(String field, String password, String email) {
        if (password.length() < MIN_LENGTH) {
            throw new ServiceException.Validation(field, "password must be at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            throw new ServiceException.Validation(field, "password must be at most " + MAX_LENGTH + " characters");
        }
        if (password.chars().distinct().count() < 4) {
            throw new ServiceException.Validation(field, "password must use at least 4 different characters");
        }
        String local = email.toLowerCase(Locale.ROOT).split("@", 2)[0];
        if (local.length() >= 3 && password.toLowerCase(Locale.ROOT).contains(local)) {
            throw new ServiceException.Validation(field, "password must not contain the e-mail name");
        }
    }
}
