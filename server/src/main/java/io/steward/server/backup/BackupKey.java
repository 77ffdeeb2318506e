package io.steward.server.backup;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import io.steward.server.files.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key backup archives are encrypted with: 32 random bytes, kept in a file as one line of
 * base64. Archives are encrypted with Tink's streaming AEAD (AES-256-GCM, a key per archive entry
 * derived with HKDF-SHA256, 1 MiB segments each authenticated, the last one marked so that a
 * truncation is caught). Its {@link #id} names it in archives and messages without revealing it.
 */
final class BackupKey {
    private static final Logger LOG = LoggerFactory.getLogger(BackupKey.class);
    static final int BYTES = 32;
    static final String CIPHER = "AES256_GCM_HKDF_SHA256_1MB (Tink streaming AEAD)";
    private static final int SEGMENT = 1 << 20;

    private final Path file;
    private final String id;
    private final AesGcmHkdfStreaming aead;

    /** A key that cannot be used: missing, malformed, or not the one an archive needs. */
    static final class Unusable extends IOException {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message);
        }
    }

    private BackupKey(Path file, byte[] material) throws Unusable {
        this.file = file;
        this.id = id(material);
        try {
            this.aead = new AesGcmHkdfStreaming(material, "HmacSha256", BYTES, SEGMENT, 0);
        } catch (GeneralSecurityException e) {
            throw new Unusable("the backup key in " + file + " cannot be used: " + e.getMessage());
        }
    }

    /** The key in {@code file}. */
    static BackupKey load(Path file) throws Unusable {
        String text;
        String unsafe;
        try {
            unsafe = PrivateFiles.changeableByOthers(file);
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new Unusable("the backup key file " + file + " does not exist");
        } catch (IOException e) {
            throw new Unusable("the backup key file " + file + " cannot be read (" + e.getMessage() + ")");
        }
        if (unsafe != null) {
            throw new Unusable("the backup key file " + file + " is not safe: " + unsafe + ". Whoever can change it"
                    + " could have backups encrypted with a key they know; make it and its folders writable by their"
                    + " owner only (chmod go-w)");
        }
        byte[] material;
        try {
            material = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            material = new byte[0];
        }
        if (material.length != BYTES) {
            throw new Unusable("the backup key file " + file + " must hold " + BYTES
                    + " bytes in base64 on one line (make one with: head -c 32 /dev/urandom | base64)");
        }
        try {
            if (PrivateFiles.readableByOthers(file)) {
                LOG.warn("the backup key file {} can be read by other users; make it owner-only (chmod 600)", file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
        return new BackupKey(file, material);
    }

    /**
     * The key in {@code file}, made there (owner-only, in an owner-only folder) if it does not
     * exist. It is written whole to a file of its own first and then linked into place, so that an
     * instance sharing the folder sees either no key or the whole one, and never replaces it.
     */
    static BackupKey loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            Path folder = PrivateFiles.folderOf(file);
            byte[] material = new byte[BYTES];
            new SecureRandom().nextBytes(material);
            Path made = Files.createTempFile(folder, ".backup-key-", ".new", PrivateFiles.fileAttribute());
            try {
                PrivateFiles.restrict(made);
                try (FileChannel channel = FileChannel.open(made, StandardOpenOption.WRITE)) {
                    channel.write(ByteBuffer.wrap(
                            (Base64.getEncoder().encodeToString(material) + "\n").getBytes(StandardCharsets.US_ASCII)));
                    channel.force(true);
                }
                Files.createLink(file, made);
                LOG.info("made a new backup key in {}: keep a copy of it apart from the backups", file);
            } catch (FileAlreadyExistsException e) {
                // another instance sharing the folder made it first
            } finally {
                Files.deleteIfExists(made);
            }
        }
        return load(file);
    }

    private static final java.util.concurrent.atomic.AtomicBoolean WARM =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Encrypts 16 MiB of zeros under a throw-away key in 4 KiB segments, once per process. AES-GCM
     * runs about 80 MB/s until the JIT compiles its path, which the few calls a 1 MiB segment makes
     * take hundreds of megabytes to bring about; thousands of small segments bring it about in a
     * fraction of a second, before the first archive needs it.
     */
    static void warmUp() {
        if (!WARM.compareAndSet(false, true)) {
            return;
        }
        try {
            var warm = new AesGcmHkdfStreaming(new byte[BYTES], "HmacSha256", BYTES, 4096, 0);
            byte[] zeros = new byte[1 << 16];
            try (OutputStream out = warm.newEncryptingStream(OutputStream.nullOutputStream(), new byte[0])) {
                for (int i = 0; i < 256; i++) {
                    out.write(zeros);
                }
            }
        } catch (GeneralSecurityException | IOException e) {
            LOG.debug("warming up AES-GCM failed", e);
        }
    }

    /** Where the key was read from. */
    Path file() {
        return file;
    }

    /** A name for the key: the first 8 bytes of HMAC-SHA256(key, "steward backup key id"), in hex. */
    String id() {
        return id;
    }

    OutputStream encrypt(OutputStream ciphertext, byte[] associatedData) throws IOException {
        try {
            return aead.newEncryptingStream(ciphertext, associatedData);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt with the backup key", e);
        }
    }

    /** Reads the plaintext of {@code ciphertext}; reads fail once a segment does not authenticate. */
    InputStream decrypt(InputStream ciphertext, byte[] associatedData) throws IOException {
        try {
            return aead.newDecryptingStream(ciphertext, associatedData);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot decrypt with the backup key", e);
        }
    }

    private static String id(byte[] material) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(material, "HmacSHA256"));
            byte[] tag = mac.doFinal("steward backup key id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(tag, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java has HmacSHA256", e);
        }
    }
}
