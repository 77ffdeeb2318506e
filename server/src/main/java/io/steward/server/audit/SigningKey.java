package io.steward.server.audit;

import io.steward.server.files.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The Ed25519 key the server signs audit checkpoints with (the JDK's own implementation). Its file,
 * owner-only, holds two base64 lines: the private key (PKCS#8) and the public key (X.509);
 * instances sharing a database share the file.
 * The public key is published ({@code GET /api/v1/audit/public-key}, every report, the evidence
 * pack) so that anyone can check a checkpoint without the server.
 */
public final class SigningKey {
    public static final String ALGORITHM = "Ed25519";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /**
     * The key in {@code file}, made (0600, in a 0700 folder) when {@code create} and there is none.
     *
     * @throws IOException when the file cannot be read or written, or holds no Ed25519 key
     */
    public static SigningKey load(Path file, boolean create) throws IOException {
        try {
            if (!Files.exists(file)) {
                if (!create) {
                    throw new IOException("the audit signing key " + file + " does not exist");
                }
                return make(file);
            }
            var lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            var factory = KeyFactory.getInstance(ALGORITHM);
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(lines.get(0).strip())));
            var key = new SigningKey(privateKey, publicKey(lines.get(1)));
            byte[] probe = "steward".getBytes(StandardCharsets.US_ASCII);
            if (!verify(key.publicKey, probe, key.sign(probe))) {
                throw new IOException("the audit signing key " + file + " holds a public key that is not its own");
            }
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IOException(
                    "the audit signing key " + file + " is not two base64 lines: an Ed25519 PKCS#8 private key"
                            + " and its X.509 public key",
                    e);
        }
    }

    private static SigningKey make(Path file) throws IOException, GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null) {
            PrivateFiles.folder(folder);
        }
        Path partial = Files.createTempFile(folder, ".audit-signing-key", ".partial", PrivateFiles.fileAttribute());
        Files.writeString(
                partial,
                Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n"
                        + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n",
                StandardCharsets.US_ASCII);
        PrivateFiles.restrict(partial);
        try {
            Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            if (Files.exists(file)) {
                return load(file, false); // another instance made it first
            }
            throw e;
        }
        return new SigningKey(pair.getPrivate(), pair.getPublic());
    }

    /** The signature of {@code message}. */
    public byte[] sign(byte[] message) {
        try {
            var signer = Signature.getInstance(ALGORITHM);
            signer.initSign(privateKey);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK", e);
        }
    }

    /** Whether {@code signature} is {@code publicKey}'s over {@code message}. */
    public static boolean verify(PublicKey publicKey, byte[] message, byte[] signature) {
        try {
            var verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The public key as base64 X.509 SubjectPublicKeyInfo, as {@code openssl pkey -pubin} reads it. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    /** The public key as PEM. */
    public String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + publicKeyBase64() + "\n-----END PUBLIC KEY-----\n";
    }

    /** The key's id: the first 8 bytes of the SHA-256 of its public key, in hex. */
    public String keyId() {
        return keyId(publicKey);
    }

    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A public key from its base64 X.509 form. */
    public static PublicKey publicKey(String base64) throws GeneralSecurityException {
        return KeyFactory.getInstance(ALGORITHM)
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
    }
}
