package io.udapi.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** deploy/compose/docker-compose.yml: a minimal lint (no Docker here to run it). */
class ComposeFileTest {

    private static final JsonNode COMPOSE = Manifests.readTree(Project.COMPOSE);
    private static final Set<String> TOP_LEVEL = Set.of("name", "services", "volumes", "networks", "configs", "secrets");
    private static final Pattern ES_IMAGE =
            Pattern.compile("docker\\.elastic\\.co/elasticsearch/elasticsearch:\\$\\{ES_VERSION:-9\\.\\d+\\.\\d+}");
    private static final Pattern VALKEY_IMAGE = Pattern.compile("valkey/valkey:\\$\\{VALKEY_VERSION:-8(\\.\\d+)*}");
    /** {@code ${NAME:-default}}: what compose substitutes when NAME is not set. */
    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*):-([^}]*)}");

    @Test
    void onlyKnownTopLevelKeysAndTheThreeServices() {
        COMPOSE.fieldNames().forEachRemaining(k -> assertTrue(TOP_LEVEL.contains(k), "unknown top-level key " + k));
        Set<String> services = new HashSet<>();
        COMPOSE.path("services").fieldNames().forEachRemaining(services::add);
        assertEquals(Set.of("udapi", "elasticsearch", "valkey"), services);
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

    @Test
    void clusterProfileAddsAValkeyServerThatTheDefaultRunDoesNotNeed() {
        JsonNode valkey = COMPOSE.at("/services/valkey");
        assertTrue(VALKEY_IMAGE.matcher(valkey.path("image").asText()).matches(), valkey.path("image").asText());
        assertEquals(List.of("cluster"), texts(valkey.path("profiles")));
        assertEquals(List.of("CMD", "valkey-cli", "ping"), texts(valkey.at("/healthcheck/test")));
        assertTrue(valkey.at("/healthcheck/retries").asInt() > 0);
        // published on the loopback only, as Elasticsearch is
        assertEquals(List.of("127.0.0.1:6379:6379"), texts(valkey.path("ports")));
        // the rate-limit counts need no persistence: no snapshots, no append-only file
        List<String> command = texts(valkey.path("command"));
        assertEquals("valkey-server", command.get(0));
        assertEquals("", command.get(command.indexOf("--save") + 1));
        assertEquals("no", command.get(command.indexOf("--appendonly") + 1));

        // the other services run without any profile, and udapi does not wait for valkey (it would then
        // refuse to start without the profile)
        assertTrue(COMPOSE.at("/services/udapi/profiles").isMissingNode());
        assertTrue(COMPOSE.at("/services/elasticsearch/profiles").isMissingNode());
        assertFalse(COMPOSE.at("/services/udapi/depends_on").has("valkey"));
    }

    @Test
    void udapiCountsOnItsOwnUnlessClusterScopeIsChosen() {
        JsonNode env = COMPOSE.at("/services/udapi/environment");
        Matcher scope = DEFAULTED.matcher(env.path("UDAPI_LIMITS_SCOPE").asText());
        assertTrue(scope.matches(), () -> "UDAPI_LIMITS_SCOPE must be ${UDAPI_LIMITS_SCOPE:-...}: " + env.path("UDAPI_LIMITS_SCOPE"));
        assertEquals("UDAPI_LIMITS_SCOPE", scope.group(1));
        assertEquals("instance", scope.group(2), "without the variable udapi must not need Redis");

        // the URL names the valkey service on the port it listens on, without user information
        URI url = URI.create(env.path("UDAPI_LIMITS_REDIS_URL").asText());
        assertEquals("redis", url.getScheme());
        assertTrue(COMPOSE.path("services").has(url.getHost()), () -> "no service " + url.getHost());
        assertEquals(6379, url.getPort());
        assertNull(url.getUserInfo(), "a password never goes in the URL");
        String published = texts(COMPOSE.at("/services/" + url.getHost() + "/ports")).get(0);
        assertTrue(published.endsWith(":" + url.getPort()), published);
        // the example server has no password (as its Elasticsearch has no security): none is set or written down
        assertTrue(env.path("UDAPI_LIMITS_REDIS_PASSWORD").isMissingNode());
        assertFalse(texts(COMPOSE.at("/services/valkey/command")).contains("--requirepass"));
    }

    private static List<String> texts(JsonNode array) {
        assertTrue(array.isArray(), () -> "expected a list: " + array);
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
