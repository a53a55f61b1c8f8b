package io.durablejobs.core.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * {@code JOBS_TLS_TRUST_STORE}: the certificate authorities the broker and Redis clients trust instead of
 * the JVM's defaults (a private CA in front of the broker, a test CA). A PEM file of one or more
 * certificates, or a PKCS12 trust store ({@code JOBS_TLS_TRUST_STORE_PASSWORD} when it has one). Read and
 * checked at start, so a wrong path or an unreadable file stops the process with the setting's name,
 * never the first connection.
 */
public final class TrustStoreFile {
    static final long MAX_BYTES = 4L * 1024 * 1024;
    private TrustStoreFile() {
    }

    public static KeyStore load(String path, String password) {
        byte[] bytes;
        try {
            Path file = Path.of(path);
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("no such file");
            }
            // A trust store is a few KB (a bundle of every public authority is ~250 KB): refuse devices and giants.
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException("must be a regular file of at most " + MAX_BYTES / 1024 + " KB");
            }
            bytes = Files.readAllBytes(file);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the file (" + e.getClass().getSimpleName() + ")");
        }
        try {
            KeyStore store;
            if (new String(bytes, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
                Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(bytes));
                store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (Certificate c : certs) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
            } else {
                store = KeyStore.getInstance("PKCS12");
                store.load(new ByteArrayInputStream(bytes), password == null ? null : password.toCharArray());
            }
            boolean anyCertificate = false;
            for (var aliases = store.aliases(); aliases.hasMoreElements(); ) {
                anyCertificate |= store.isCertificateEntry(aliases.nextElement());
            }
            if (!anyCertificate) {
                throw new IllegalArgumentException("holds no trusted certificate");
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("neither PEM certificates nor a PKCS12 trust store this password opens ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
