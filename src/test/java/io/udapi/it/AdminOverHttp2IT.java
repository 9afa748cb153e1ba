package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management API over HTTP/2, where udapi terminates TLS itself (docs/security.md, "DNS rebinding"): an HTTP/2
 * request names its host in {@code :authority}, not in a {@code Host} header, and is served under localhost like an
 * HTTP/1.1 one. Through the packaged service with a certificate made for the test; the client trusts any certificate
 * (this one is self-signed) but speaks only HTTP/2.
 */
class AdminOverHttp2IT {

    @TempDir
    Path work;

    @Test
    void overHttp2TheManagementApiAnswersUnderLocalhostAsOverHttp11() throws Exception {
        Path keystore = work.resolve("udapi.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "udapi", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String keytoolOutput = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, keytoolOutput);
        int tlsPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            tlsPort = socket.getLocalPort();
        }
        try (ServiceProcess service = new ServiceProcess(work.resolve("data"), work.resolve("udapi.log"), ServiceProcess.config(
                "quarkus.http.ssl-port", Integer.toString(tlsPort),
                "quarkus.http.ssl.certificate.key-store-file", keystore.toString(),
                "quarkus.http.ssl.certificate.key-store-password", "changeit")).start()) {
            SSLContext trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new TrustManager[] {new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trustAll)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            String basic = Base64.getEncoder().encodeToString(("admin:" + ServiceProcess.ADMIN_PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            for (String host : new String[] {"localhost", "127.0.0.1"}) {
                HttpResponse<String> me = client.send(HttpRequest.newBuilder(URI.create("https://" + host + ":" + tlsPort
                                + "/admin/v1/me")).header("Authorization", "Basic " + basic).timeout(Duration.ofSeconds(30))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(HttpClient.Version.HTTP_2, me.version(), host + ": spoken over HTTP/2");
                assertEquals(200, me.statusCode(), host + ": " + me.body());
                HttpResponse<String> console = client.send(HttpRequest.newBuilder(URI.create("https://" + host + ":"
                        + tlsPort + "/admin/")).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, console.statusCode(), host + ": the console, " + console.body());
            }
        }
    }
}
