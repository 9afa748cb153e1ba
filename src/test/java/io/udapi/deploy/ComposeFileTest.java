package io.udapi.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** deploy/compose/docker-compose.yml: a minimal lint (no Docker here to run it). */
class ComposeFileTest {

    private static final JsonNode COMPOSE = Manifests.readTree(Project.COMPOSE);
    private static final Set<String> TOP_LEVEL = Set.of("name", "services", "volumes", "networks", "configs", "secrets");
    private static final Pattern ES_IMAGE =
            Pattern.compile("docker\\.elastic\\.co/elasticsearch/elasticsearch:\\$\\{ES_VERSION:-9\\.\\d+\\.\\d+}");

    @Test
    void onlyKnownTopLevelKeysAndBothServices() {
        COMPOSE.fieldNames().forEachRemaining(k -> assertTrue(TOP_LEVEL.contains(k), "unknown top-level key " + k));
        Set<String> services = new HashSet<>();
        COMPOSE.path("services").fieldNames().forEachRemaining(services::add);
        assertEquals(Set.of("udapi", "elasticsearch"), services);
    }

    @Test
    void elasticsearchIsASingleNode9xWithoutSecurityAndAHealthcheck() {
        JsonNode es = COMPOSE.at("/services/elasticsearch");
        assertTrue(ES_IMAGE.matcher(es.path("image").asText()).matches(), es.path("image").asText());
        assertEquals("single-node", es.at("/environment/discovery.type").asText());
        assertEquals("false", es.at("/environment/xpack.security.enabled").asText());
        JsonNode health = es.path("healthcheck");
        assertEquals("CMD-SHELL", health.path("test").get(0).asText());
        assertTrue(health.path("test").get(1).asText().contains("/_cluster/health"));
        assertTrue(health.path("retries").asInt() > 0);
    }

    @Test
    void udapiWaitsForAHealthyElasticsearchAndUsesIt() {
        JsonNode udapi = COMPOSE.at("/services/udapi");
        assertEquals("service_healthy", udapi.at("/depends_on/elasticsearch/condition").asText());
        JsonNode env = udapi.path("environment");
        assertEquals("elasticsearch", env.path("UDAPI_STORE").asText());
        assertEquals("elasticsearch:9200", env.path("QUARKUS_ELASTICSEARCH_HOSTS").asText());
        assertEquals("http", env.path("QUARKUS_ELASTICSEARCH_PROTOCOL").asText());
        assertFalse(env.path("UDAPI_SECRETS_PEPPER").asText().isBlank(), "the Elasticsearch store needs a pepper");
        Set<String> ports = new HashSet<>();
        udapi.path("ports").forEach(p -> ports.add(p.asText()));
        assertEquals(Set.of("8080:8080", "9000:9000"), ports);
        assertEquals("../..", udapi.at("/build/context").asText());
        assertTrue(udapi.at("/build/dockerfile").asText().contains("Dockerfile.native"));
        // the same hardening as the chart, and a writable volume for the data directory
        assertEquals("1001", udapi.path("user").asText());
        assertTrue(udapi.path("read_only").asBoolean());
        assertEquals("ALL", udapi.path("cap_drop").get(0).asText());
        assertTrue(StreamSupport.stream(udapi.path("volumes").spliterator(), false)
                .anyMatch(v -> v.asText().endsWith(":/work/data")));
        assertTrue(COMPOSE.path("volumes").has("udapi-data"));
    }
}
