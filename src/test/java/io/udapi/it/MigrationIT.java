package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.store.es.ElasticsearchProcess;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code udapi.migrate.from-file-store}: objects created through a packaged file-store service are all
 * in Elasticsearch after one start with the property, the secrets still authenticate (same pepper; a rotated
 * token's previous secret too, during its overlap), source ranges are kept,
 * the unique keys are claimed, and a second start with the property copies nothing.
 */
class MigrationIT {

    @TempDir
    Path work;

    @Test
    void aFileStoreIsCopiedIntoElasticsearchAtStartUp() throws Exception {
        Path fileData = work.resolve("file-data");
        String tokenId;
        String secret;
        String definitionId;
        String previousSecret;
        String previousSecretExpiresAt;
        try (ServiceProcess file = new ServiceProcess(fileData, work.resolve("file.log"), ServiceProcess.config()).start()) {
            AdminClient admin = new AdminClient(file.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
            HttpResponse<String> token = admin.send("POST", "/admin/v1/tokens",
                    "{\"name\":\"migrated-bot\",\"rateLimit\":{\"limit\":5,\"window\":\"PT1M\"}}");
            assertEquals(201, token.statusCode(), token.body());
            tokenId = AdminClient.field(token.body(), "id");
            secret = AdminClient.field(token.body(), "secret");
            assertEquals(201, admin.send("POST", "/admin/v1/tokens", "{\"name\":\"second-bot\"}").statusCode());
            HttpResponse<String> definition = admin.send("POST", "/admin/v1/definitions", "{\"route\":\"migrated/{id}\","
                    + "\"allowedTokens\":[\"" + tokenId + "\"],\"actionMeta\":{\"scriptName\":\"echo\"}}");
            assertEquals(201, definition.statusCode(), definition.body());
            definitionId = AdminClient.field(definition.body(), "id");
            assertEquals(201, admin.send("POST", "/admin/v1/users",
                    "{\"name\":\"auditor\",\"password\":\"auditor-password-0123\",\"permissions\":[\"tokens.read\"]}")
                    .statusCode());
            assertEquals(200, admin.trigger("migrated/1", secret).statusCode());
            // fields added after the first file format: source ranges and a rotation's overlap
            HttpResponse<String> ranged = admin.send("PATCH", "/admin/v1/tokens/" + tokenId,
                    "{\"allowedSourceRanges\":[\"127.0.0.0/8\",\"::1\"]}");
            assertEquals(200, ranged.statusCode(), ranged.body());
            HttpResponse<String> rotated = admin.send("POST", "/admin/v1/tokens/" + tokenId + "/rotate",
                    "{\"previousSecretValidFor\":\"PT1H\"}");
            assertEquals(200, rotated.statusCode(), rotated.body());
            previousSecret = secret;
            secret = AdminClient.field(rotated.body(), "secret");
            previousSecretExpiresAt = AdminClient.field(rotated.body(), "previousSecretExpiresAt");
        }
        String pepper = Files.readString(fileData.resolve("pepper"), StandardCharsets.US_ASCII).trim();

        ElasticsearchProcess es = ElasticsearchProcess.shared();
        String prefix = "udapi-migrate-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try {
            try (ServiceProcess onEs = esService(es, prefix, pepper, fileData, "es1")) {
                String log = Files.readString(onEs.logFile());
                assertTrue(log.contains("migrated the file store"), log);
                AdminClient admin = new AdminClient(onEs.baseUrl(), "admin", ServiceProcess.ADMIN_PASSWORD);
                String tokens = admin.send("GET", "/admin/v1/tokens", null).body();
                assertTrue(tokens.contains("migrated-bot") && tokens.contains("second-bot"), tokens);
                HttpResponse<String> definition = admin.send("GET", "/admin/v1/definitions/" + definitionId, null);
                assertEquals(200, definition.statusCode(), definition.body());
                assertTrue(definition.body().contains(tokenId), definition.body());
                assertEquals(200, admin.send("GET", "/admin/v1/users/auditor", null).statusCode());
                String events = admin.send("GET", "/admin/v1/events?objectId=" + tokenId, null).body();
                assertTrue(events.contains("\"created\"") || events.contains("token.created"), events);
                // the secret still authenticates: same hash, and the same pepper gives the same lookup tag
                HttpResponse<String> triggered = admin.trigger("migrated/2", secret);
                assertEquals(200, triggered.statusCode(), triggered.body());
                // the overlap and the ranges came along: the replaced secret still authenticates until its end
                String view = admin.send("GET", "/admin/v1/tokens/" + tokenId, null).body();
                assertTrue(view.matches("(?s).*\"allowedSourceRanges\":\\[[^]]*\"127\\.0\\.0\\.0/8\"[^]]*].*")
                        && view.contains("\"::1/128\""), view);
                assertTrue(view.contains("\"previousSecretExpiresAt\":\"" + previousSecretExpiresAt + "\""), view);
                HttpResponse<String> byPrevious = admin.trigger("migrated/3", previousSecret);
                assertEquals(200, byPrevious.statusCode(), byPrevious.body());
                // the unique keys came along: the name and the route are taken
                assertEquals(409, admin.send("POST", "/admin/v1/tokens", "{\"name\":\"MIGRATED-bot\"}").statusCode());
                Request claim = new Request("GET", "/" + prefix + "claims/_doc/token-name:migrated-bot");
                assertEquals(200, es.client().performRequest(claim).getStatusLine().getStatusCode());
            }
            try (ServiceProcess again = esService(es, prefix, pepper, fileData, "es2")) {
                String log = Files.readString(again.logFile());
                assertTrue(log.contains("skipped: already migrated"), log);
                assertTrue(log.contains("registry loaded in"), log);
                assertTrue(log.matches("(?s).*registry loaded in \\d+ ms: 2 tokens, 1 definitions, 2 admin users.*"), log);
            }
        } finally {
            Request delete = new Request("DELETE", "/" + String.join(",",
                    new io.udapi.store.es.ElasticsearchStore(es.client(), prefix).indexNames()));
            delete.addParameter("ignore_unavailable", "true");
            es.client().performRequest(delete);
        }
    }

    private ServiceProcess esService(ElasticsearchProcess es, String prefix, String pepper, Path fileData, String name)
            throws Exception {
        return ServiceProcess.onElasticsearch(work, es.hostAndPort(), prefix, pepper, name,
                "udapi.migrate.from-file-store", fileData.toString()).start(Duration.ofSeconds(90));
    }
}
