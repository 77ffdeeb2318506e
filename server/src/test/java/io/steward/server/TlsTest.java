package io.steward.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.server.auth.AuthSettings;
import io.steward.server.db.Database;
import io.steward.server.testsupport.TestDatabase;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {
    @TempDir
    Path tmp;

    @Test
    void withAKeystoreTheServerSpeaksHttpsOnly() throws Exception {
        Path keystore = tmp.resolve("server.p12");
        var keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "steward",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "keystore-secret")
                .redirectErrorStream(true)
                .start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue())
                .as(new String(keytool.getInputStream().readAllBytes()))
                .isZero();

        var config = ServerConfig.parse(
                new String[] {
                    "--port",
                    "0",
                    "--data-dir",
                    tmp.toString(),
                    "--tls-keystore",
                    keystore.toString(),
                    "--tls-password",
                    "keystore-secret"
                },
                Map.of());
        try (Database db = TestDatabase.fresh("tls");
                var server = new StewardServer(config, db, Clock.systemUTC(), AuthSettings.defaults())) {
            server.start();
            assertThat(server.baseUrl()).startsWith("https://127.0.0.1:");

            KeyStore trusted = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                trusted.load(in, "keystore-secret".toCharArray());
            }
            var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            var ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            var client = new OkHttpClient.Builder()
                    .sslSocketFactory(ssl.getSocketFactory(), (X509TrustManager) tmf.getTrustManagers()[0])
                    .build();
            try (Response r = client.newCall(new Request.Builder()
                            .url(server.baseUrl() + "/health/ready")
                            .build())
                    .execute()) {
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.handshake()).isNotNull();
                assertThat(r.handshake().tlsVersion()).isEqualTo(okhttp3.TlsVersion.TLS_1_3);
            }
            // the same port does not speak plain HTTP
            String plain = server.baseUrl().replace("https://", "http://");
            var plainClient = new OkHttpClient.Builder()
                    .callTimeout(java.time.Duration.ofSeconds(10))
                    .retryOnConnectionFailure(false)
                    .build();
            boolean answered;
            try (Response r = plainClient
                    .newCall(new Request.Builder().url(plain + "/health/ready").build())
                    .execute()) {
                answered = r.code() == 200;
            } catch (java.io.IOException e) {
                answered = false;
            }
            assertThat(answered).as("plain HTTP is not served").isFalse();
        }
    }
}
