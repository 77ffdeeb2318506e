package io.steward.server.audit;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for the personal values inside audit details, one key per subject. The stored
 * form is {@code v1:<base64(iv ‖ ciphertext ‖ tag)>}; the audit hash covers that text, so
 * destroying the key later leaves the chain intact.
 */
final class PersonalValues {
    private static final int IV_BYTES = 12;
    private final SecureRandom random = new SecureRandom();

    byte[] newKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }

    String seal(byte[] key, String plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return "v1:" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    String open(byte[] key, String sealed) throws GeneralSecurityException {
        if (!sealed.startsWith("v1:")) {
            throw new GeneralSecurityException("unknown sealed format");
        }
        byte[] all = Base64.getDecoder().decode(sealed.substring(3));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, all, 0, IV_BYTES));
        return new String(
                cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), java.nio.charset.StandardCharsets.UTF_8);
    }
}
