package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets and passwords never reach the log, a GET answer or an audit event: every secret and password
 * this test uses is searched for in the service's whole log (at DEBUG for udapi) and in every read.
 */
class SecretsNeverLeakIT {

    @TempDir
    Path work;

    @Test
    void secretsAndPasswordsAppearNowhereAfterCreation() throws Exception {
        Path log = work.resolve("udapi.log");
        List<String> secrets = new ArrayList<>();
        List<String> reads = new ArrayList<>();
        try (ServiceProcess service = new ServiceProcess(work.resolve("data"), log,
                ServiceProcess.config("quarkus.log.category.\"io.udapi\".level", "DEBUG")).start()) {
            AdminClient admin = new AdminClient(service.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            secrets.add(ServiceProcess.ADMIN_PASSWORD);

            String given = "given-secret-0123456789-abcdefghijklmnop";
            secrets.add(given);
            HttpResponse<String> a = admin.send("POST", "/admin/v1/tokens", "{\"name\":\"leak-a\",\"secret\":\"" + given + "\"}");
            assertEquals(201, a.statusCode(), a.body());
            HttpResponse<String> b = admin.send("POST", "/admin/v1/tokens", "{\"name\":\"leak-b\"}");
            String generated = AdminClient.field(b.body(), "secret");
            secrets.add(generated);
            String idA = AdminClient.field(a.body(), "id");
            String idB = AdminClient.field(b.body(), "id");
            HttpResponse<String> rotated = admin.send("POST", "/admin/v1/tokens/" + idB + "/rotate", null);
            secrets.add(AdminClient.field(rotated.body(), "secret"));
            String patched = "patched-secret-0123456789-abcdefghijklmn";
            secrets.add(patched);
            assertEquals(200, admin.send("PATCH", "/admin/v1/tokens/" + idA, "{\"secret\":\"" + patched + "\"}").statusCode());
            assertEquals(201, admin.send("POST", "/admin/v1/definitions",
                    "{\"route\":\"leak/check\",\"allowedTokens\":[\"" + idA + "\"],\"actionMeta\":{\"scriptName\":\"echo\"}}").statusCode());
            String userPassword = "user-password-0123456789";
            secrets.add(userPassword);
            assertEquals(201, admin.send("POST", "/admin/v1/users",
                    "{\"name\":\"leaky\",\"password\":\"" + userPassword + "\",\"permissions\":[\"tokens.read\"]}").statusCode());
            new AdminClient(service.baseUrl(), "leaky", userPassword).send("GET", "/admin/v1/tokens", null);
            new AdminClient(service.baseUrl(), "leaky", "wrong-" + userPassword).send("GET", "/admin/v1/tokens", null);
            secrets.add("wrong-" + userPassword);

            // triggers with the current secret, an old one and an unknown one
            assertEquals(200, admin.trigger("leak/check", patched).statusCode());
            assertEquals(401, admin.trigger("leak/check", given).statusCode());
            String unknown = "unknown-secret-0123456789-abcdefghijklmn";
            secrets.add(unknown);
            assertEquals(401, admin.trigger("leak/check", unknown).statusCode());

            reads.add(admin.send("GET", "/admin/v1/tokens", null).body());
            reads.add(admin.send("GET", "/admin/v1/tokens/" + idA, null).body());
            reads.add(admin.send("GET", "/admin/v1/tokens/" + idB, null).body());
            reads.add(admin.send("GET", "/admin/v1/users", null).body());
            reads.add(admin.send("GET", "/admin/v1/events?limit=1000", null).body());
        }
        String logText = Files.readString(log);
        assertTrue(logText.contains("io.udapi.access"), "the access log was captured");
        for (String secret : secrets) {
            assertFalse(logText.contains(secret), "a secret or password appears in the log");
            for (String read : reads) {
                assertFalse(read.contains(secret), "a secret or password appears in a read: " + read);
            }
        }
        for (String read : reads) {
            assertFalse(read.contains("argon2"), "a hash appears in a read: " + read);
        }
    }
}
