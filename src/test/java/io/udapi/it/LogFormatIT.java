package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON log (docs/operations.md, "Logs"), through the packaged service with the variable the Helm chart's
 * {@code config.jsonLog} sets: every line one JSON object, the access log among them, no secret in any of them.
 */
class LogFormatIT {

    /** What the chart's ConfigMap sets for {@code config.jsonLog} (HelmChartTest checks the same name). */
    static final String JSON_LOG_ENV = "QUARKUS_LOG_CONSOLE_JSON_ENABLED";

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void withTheJsonLogEveryLineIsOneJsonObjectAndTheAccessLogIsAmongThem() throws Exception {
        String presented = "udapi_notARealSecretButLongEnough0123456789abcdef";
        try (ServiceProcess service = new ServiceProcess(work.resolve("data"), work.resolve("udapi.log"),
                ServiceProcess.config()).withEnvironment(JSON_LOG_ENV, "true").start()) {
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(service.baseUrl() + "/api/custom/reports/daily"))
                    .header("Authorization", "Bearer " + presented).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode(), refused.body());
            service.close(); // SIGTERM, so the shutdown lines are in the log too
        }
        List<String> lines = Files.readAllLines(work.resolve("udapi.log"));
        List<JsonNode> records = new ArrayList<>();
        for (String line : lines) {
            JsonNode record = JSON.readTree(line); // throws on a line that is not JSON
            assertTrue(record.isObject(), line);
            assertTrue(record.hasNonNull("timestamp") && record.hasNonNull("level") && record.hasNonNull("loggerName")
                    && record.hasNonNull("message"), "a record has its time, level, logger and message: " + line);
            records.add(record);
        }
        assertTrue(records.stream().anyMatch(r -> r.get("message").asText().startsWith("udapi ready")),
                "the start is logged: " + lines);
        List<JsonNode> access = records.stream().filter(r -> r.get("loggerName").asText().equals("io.udapi.access")).toList();
        assertEquals(1, access.size(), "one access-log record for the one trigger: " + lines);
        String message = access.get(0).get("message").asText();
        assertTrue(message.contains("status=401") && message.contains("errorCode=1010"), message);
        assertFalse(String.join("\n", lines).contains(presented.substring(6)), "the presented secret is in no record");
        assertEquals(List.of(), records.stream().filter(r -> r.get("level").asText().matches("WARN|ERROR")
                && !r.get("loggerName").asText().startsWith("io.udapi")).toList(), "no framework warnings");
    }
}
