package io.udapi.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Renders helm/udapi for its default values and every example under ci/, and checks the result. */
class HelmChartTest {

    static Stream<Chart> variants() {
        return Stream.of(
                Chart.defaults(),
                Chart.withExample("daemonset-values.yaml"),
                Chart.withExample("existing-secrets-values.yaml"),
                Chart.withExample("elasticsearch-tls-values.yaml"),
                Chart.withExample("elasticsearch-truststore-values.yaml"),
                Chart.withExample("file-store-persistent-values.yaml"),
                Chart.withExample("redis-cluster-limits-values.yaml"),
                Chart.defaults().set("redis.enabled", true).set("redis.url", "redis://valkey:6379")
                        .set("redis.password", "change-me-redis"),
                Chart.defaults().set("podDisruptionBudget.enabled", true).set("serviceMonitor.enabled", true));
    }

    @Test
    void lintIsCleanInStrictMode() {
        LintResult result = new Helm(Project.CHART).lint().strict().call();
        assertFalse(result.isFailed(), () -> "helm lint --strict: " + result.getMessages());
    }

    /** What every variant must satisfy: strict parse (done by render()), probes, hardening, sizing. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void everyVariantIsHardenedAndProbedOnTheManagementPort(Chart chart) {
        Manifests.Rendered rendered = chart.render();
        PodTemplateSpec template = podTemplate(rendered);
        PodSpec pod = template.getSpec();
        Container udapi = container(pod, "udapi");

        assertAll(
                () -> assertEquals(Map.of("http", 8080, "management", 9000), udapi.getPorts().stream()
                        .collect(Collectors.toMap(p -> p.getName(), p -> p.getContainerPort()))),
                () -> assertHttpProbe(udapi.getStartupProbe(), "/q/health/started", pod),
                () -> assertHttpProbe(udapi.getLivenessProbe(), "/q/health/live", pod),
                () -> assertHttpProbe(udapi.getReadinessProbe(), "/q/health/ready", pod),
                () -> assertHardened(udapi.getSecurityContext()),
                () -> assertTrue(pod.getSecurityContext().getRunAsNonRoot()),
                () -> assertEquals(1001L, pod.getSecurityContext().getRunAsUser()),
                () -> assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType()),
                () -> assertFalse(pod.getAutomountServiceAccountToken()),
                () -> assertTrue(pod.getTerminationGracePeriodSeconds() > 30,
                        "grace period must exceed the ~30 s drain: " + pod.getTerminationGracePeriodSeconds()),
                () -> assertEquals(40L, pod.getTerminationGracePeriodSeconds()),
                () -> assertEquals(new Quantity("50m"), udapi.getResources().getRequests().get("cpu")),
                () -> assertEquals(new Quantity("64Mi"), udapi.getResources().getRequests().get("memory")),
                () -> assertEquals(new Quantity("500m"), udapi.getResources().getLimits().get("cpu")),
                () -> assertEquals(new Quantity("256Mi"), udapi.getResources().getLimits().get("memory")),
                () -> assertEquals("/work/data", mount(udapi, "data").getMountPath()),
                () -> assertEquals("/tmp", mount(udapi, "tmp").getMountPath()),
                () -> assertNotNull(volume(pod, "tmp").getEmptyDir()),
                () -> assertEveryMountHasAVolume(pod),
                () -> assertEquals("metadata.name", env(udapi, "UDAPI_NODE_ID").getValueFrom().getFieldRef().getFieldPath()),
                () -> assertEquals(rendered.one(ConfigMap.class).getMetadata().getName(),
                        udapi.getEnvFrom().get(0).getConfigMapRef().getName()),
                () -> assertEquals("udapi:0.1.0", udapi.getImage()));

        // init containers (the truststore one) are hardened the same way
        for (Container init : pod.getInitContainers()) {
            assertHardened(init.getSecurityContext());
        }
        // the Service exposes both ports by name; the selector matches the pods
        Service service = rendered.one(Service.class);
        assertEquals(Map.of("http", 8080, "management", 9000), service.getSpec().getPorts().stream()
                .collect(Collectors.toMap(ServicePort::getName, ServicePort::getPort)));
        assertEquals(Set.of("http", "management"), service.getSpec().getPorts().stream()
                .map(p -> p.getTargetPort().getStrVal()).collect(Collectors.toSet()));
        assertTrue(template.getMetadata().getLabels().entrySet().containsAll(service.getSpec().getSelector().entrySet()));
        // every Secret's data is base64 (Kubernetes rejects anything else)
        for (Secret secret : rendered.all(Secret.class)) {
            secret.getData().values().forEach(v -> Base64.getDecoder().decode(v));
        }
        // every resource is in a sane shape: named, labelled with the chart's labels
        for (HasMetadata resource : rendered.resources()) {
            assertEquals("udapi", resource.getMetadata().getLabels().get("app.kubernetes.io/name"), resource.getKind());
        }
    }

    @Test
    void defaultsRenderAFileStoreDeploymentWithoutOptionalResources() {
        Manifests.Rendered r = Chart.defaults().render();
        assertEquals(List.of("ConfigMap", "Deployment", "Service", "ServiceAccount"), r.kinds());
        Deployment deployment = r.one(Deployment.class);
        assertEquals(1, deployment.getSpec().getReplicas());
        assertEquals("Recreate", deployment.getSpec().getStrategy().getType());
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertNotNull(volume(pod, "data").getEmptyDir());
        assertEquals(new Quantity("1Gi"), volume(pod, "data").getEmptyDir().getSizeLimit());
        Container udapi = container(pod, "udapi");
        assertTrue(udapi.getArgs() == null || udapi.getArgs().isEmpty(), () -> "args: " + udapi.getArgs());
        assertTrue(pod.getInitContainers().isEmpty());
        assertNull(udapi.getLifecycle());
        // no passwords given: no Secret, no secret env; udapi generates the admin password
        assertTrue(r.find(Secret.class).isEmpty());
        assertTrue(udapi.getEnv().stream().noneMatch(e -> e.getName().equals("UDAPI_ADMIN_PASSWORD")));

        Map<String, String> config = r.one(ConfigMap.class).getData();
        assertEquals("file", config.get("UDAPI_STORE"));
        assertEquals("/work/data", config.get("UDAPI_FILE_STORE_DIR"));
        assertEquals("process", config.get("UDAPI_SCRIPT_ENGINE"));
        assertEquals("/work/scripts", config.get("UDAPI_SCRIPTS_DIR"));
        assertEquals("9000", config.get("QUARKUS_MANAGEMENT_PORT"));
        assertFalse(config.containsKey("QUARKUS_ELASTICSEARCH_HOSTS"));
        String svc = r.one(Service.class).getMetadata().getName();
        String ns = Chart.NAMESPACE;
        assertEquals(List.of(svc, svc + "." + ns, svc + "." + ns + ".svc", svc + "." + ns + ".svc.cluster.local"),
                List.of(config.get("UDAPI_ADMIN_ALLOWED_HOSTS").split(",")), "the Service's names reach the console");
        assertTrue(config.keySet().stream().noneMatch(k -> k.contains("PASSWORD") || k.contains("PEPPER")),
                "secrets never go to the ConfigMap");
        assertFalse(r.one(ServiceAccount.class).getAutomountServiceAccountToken());
        assertTrue(r.find(PodDisruptionBudget.class).isEmpty());
        assertTrue(r.find(ServiceMonitor.class).isEmpty());
    }

    @Test
    void daemonSetVariantSharesElasticsearchAndCallsTheAgentOnItsNode() {
        Manifests.Rendered r = Chart.withExample("daemonset-values.yaml").render();
        assertTrue(r.find(Deployment.class).isEmpty());
        DaemonSet ds = r.one(DaemonSet.class);
        assertEquals("RollingUpdate", ds.getSpec().getUpdateStrategy().getType());
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        assertEquals("Exists", pod.getTolerations().get(0).getOperator());

        Map<String, String> config = r.one(ConfigMap.class).getData();
        assertEquals("elasticsearch", config.get("UDAPI_STORE"));
        assertEquals("es-http.elastic.svc:9200", config.get("QUARKUS_ELASTICSEARCH_HOSTS"));
        assertEquals("http", config.get("QUARKUS_ELASTICSEARCH_PROTOCOL"));
        assertEquals("udapi-", config.get("UDAPI_ELASTICSEARCH_INDEX_PREFIX"));
        assertEquals("http", config.get("UDAPI_SCRIPT_ENGINE"));

        // $(UDAPI_HOST_IP) is expanded by the kubelet only if UDAPI_HOST_IP is defined before it
        Container udapi = container(pod, "udapi");
        List<String> names = udapi.getEnv().stream().map(EnvVar::getName).toList();
        assertEquals("http://$(UDAPI_HOST_IP):7070", env(udapi, "UDAPI_HTTP_ENGINE_URL").getValue());
        assertTrue(names.indexOf("UDAPI_HOST_IP") < names.indexOf("UDAPI_HTTP_ENGINE_URL"));
        assertEquals("status.hostIP", env(udapi, "UDAPI_HOST_IP").getValueFrom().getFieldRef().getFieldPath());

        // the chart's own Secret carries the pepper and the admin password
        Secret secret = r.one(Secret.class);
        assertEquals("change-me-32-random-characters-x", decode(secret, "pepper"));
        assertEquals("change-me-too", decode(secret, "admin-password"));
        var pepperRef = env(udapi, "UDAPI_SECRETS_PEPPER").getValueFrom().getSecretKeyRef();
        assertEquals(secret.getMetadata().getName(), pepperRef.getName());
        assertFalse(pepperRef.getOptional());
        // no Elasticsearch credentials given: none referenced
        assertTrue(udapi.getEnv().stream().noneMatch(e -> e.getName().startsWith("QUARKUS_ELASTICSEARCH_")));
    }

    @Test
    void existingSecretsAreReferencedAndNoSecretIsRendered() {
        Manifests.Rendered r = Chart.withExample("existing-secrets-values.yaml").render();
        assertTrue(r.find(Secret.class).isEmpty(), () -> "no Secret expected: " + r.kinds());
        Deployment deployment = r.one(Deployment.class);
        assertEquals(3, deployment.getSpec().getReplicas());
        assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType());
        assertEquals(0, deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        Container udapi = container(deployment.getSpec().getTemplate().getSpec(), "udapi");

        var admin = env(udapi, "UDAPI_ADMIN_PASSWORD").getValueFrom().getSecretKeyRef();
        assertEquals("udapi-secrets", admin.getName());
        assertEquals("admin-password", admin.getKey());
        assertTrue(admin.getOptional(), "no admin-password key: udapi generates one");
        var pepper = env(udapi, "UDAPI_SECRETS_PEPPER").getValueFrom().getSecretKeyRef();
        assertEquals("udapi-secrets", pepper.getName());
        assertEquals("pepper", pepper.getKey());
        assertFalse(pepper.getOptional(), "the Elasticsearch store cannot start without the pepper");
        var user = env(udapi, "QUARKUS_ELASTICSEARCH_USERNAME").getValueFrom().getSecretKeyRef();
        var password = env(udapi, "QUARKUS_ELASTICSEARCH_PASSWORD").getValueFrom().getSecretKeyRef();
        assertEquals(List.of("udapi-es-credentials", "username"), List.of(user.getName(), user.getKey()));
        assertEquals(List.of("udapi-es-credentials", "password"), List.of(password.getName(), password.getKey()));
        assertEquals("es-0.es:9200,es-1.es:9200", r.one(ConfigMap.class).getData().get("QUARKUS_ELASTICSEARCH_HOSTS"));

        PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class);
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
        assertNull(pdb.getSpec().getMinAvailable());
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());

        ServiceMonitor monitor = r.one(ServiceMonitor.class);
        assertEquals("prometheus", monitor.getMetadata().getLabels().get("release"));
        var endpoint = monitor.getSpec().getEndpoints().get(0);
        assertEquals("management", endpoint.getPort());
        assertEquals("/q/metrics", endpoint.getPath());
        assertEquals(List.of(Chart.NAMESPACE), monitor.getSpec().getNamespaceSelector().getMatchNames());
        assertEquals(r.one(Service.class).getSpec().getSelector(), monitor.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void elasticsearchTlsWithAPemCaBuildsATruststoreInAnInitContainer() {
        Manifests.Rendered r = Chart.withExample("elasticsearch-tls-values.yaml").render();
        PodSpec pod = r.one(Deployment.class).getSpec().getTemplate().getSpec();
        assertEquals("https", r.one(ConfigMap.class).getData().get("QUARKUS_ELASTICSEARCH_PROTOCOL"));

        Container init = container(pod.getInitContainers(), "es-truststore");
        assertEquals("keytool", init.getCommand().get(0));
        assertTrue(init.getCommand().contains("/etc/udapi/es-ca/ca.crt"));
        assertTrue(init.getCommand().contains("/etc/udapi/es-truststore/truststore.p12"));
        assertEquals("quickstart-es-http-certs-public", volume(pod, "es-ca").getSecret().getSecretName());
        assertNotNull(volume(pod, "es-truststore").getEmptyDir());

        Container udapi = container(pod, "udapi");
        assertEquals(List.of(
                "-Djavax.net.ssl.trustStore=/etc/udapi/es-truststore/truststore.p12",
                "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-Djavax.net.ssl.trustStorePassword=changeit"), udapi.getArgs());
        VolumeMount truststore = mount(udapi, "es-truststore");
        assertTrue(truststore.getReadOnly());
        assertEquals("/etc/udapi/es-truststore", truststore.getMountPath());

        // credentials given as values: the chart renders a second Secret for them
        Secret es = r.all(Secret.class).stream().filter(s -> s.getMetadata().getName().endsWith("-es")).findFirst()
                .orElseThrow();
        assertEquals("udapi", decode(es, "username"));
        assertEquals(es.getMetadata().getName(),
                env(udapi, "QUARKUS_ELASTICSEARCH_PASSWORD").getValueFrom().getSecretKeyRef().getName());
    }

    @Test
    void elasticsearchTlsWithAReadyTruststoreNeedsNoInitContainer() {
        Manifests.Rendered r = Chart.withExample("elasticsearch-truststore-values.yaml").render();
        PodSpec pod = r.one(Deployment.class).getSpec().getTemplate().getSpec();
        assertTrue(pod.getInitContainers().isEmpty());
        assertEquals("https", r.one(ConfigMap.class).getData().get("QUARKUS_ELASTICSEARCH_PROTOCOL"));
        assertEquals("udapi-es-truststore", volume(pod, "es-truststore").getSecret().getSecretName());
        Container udapi = container(pod, "udapi");
        assertTrue(udapi.getArgs().contains("-Djavax.net.ssl.trustStore=/etc/udapi/es-truststore/truststore.p12"));
        assertTrue(udapi.getArgs().contains("-Djavax.net.ssl.trustStorePassword=$(UDAPI_TRUSTSTORE_PASSWORD)"));
        var ref = env(udapi, "UDAPI_TRUSTSTORE_PASSWORD").getValueFrom().getSecretKeyRef();
        assertEquals(List.of("udapi-es-truststore", "password"), List.of(ref.getName(), ref.getKey()));
    }

    @Test
    void persistentFileStoreUsesAClaimScriptsFromAConfigMapAndAPreStopSleep() {
        Manifests.Rendered r = Chart.withExample("file-store-persistent-values.yaml").render();
        PersistentVolumeClaim claim = r.one(PersistentVolumeClaim.class);
        assertEquals(new Quantity("2Gi"), claim.getSpec().getResources().getRequests().get("storage"));
        assertEquals("keep", claim.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
        Deployment deployment = r.one(Deployment.class);
        assertEquals("Recreate", deployment.getSpec().getStrategy().getType());
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals(claim.getMetadata().getName(), volume(pod, "data").getPersistentVolumeClaim().getClaimName());
        assertEquals("udapi-scripts", volume(pod, "scripts").getConfigMap().getName());
        assertEquals(0555, volume(pod, "scripts").getConfigMap().getDefaultMode());
        Container udapi = container(pod, "udapi");
        assertTrue(mount(udapi, "scripts").getReadOnly());
        assertEquals("/work/scripts", mount(udapi, "scripts").getMountPath());
        assertEquals(5L, udapi.getLifecycle().getPreStop().getSleep().getSeconds());
        Map<String, String> config = r.one(ConfigMap.class).getData();
        assertEquals("30s", config.get("UDAPI_SCRIPT_TIMEOUT"));
        assertEquals("true", config.get("QUARKUS_LOG_CONSOLE_JSON_ENABLED"), "config.jsonLog turns on the JSON log (LogFormatIT)");
        assertTrue(config.get("UDAPI_ADMIN_ALLOWED_HOSTS").endsWith(",admin.example.com,*.corp.example"),
                config.get("UDAPI_ADMIN_ALLOWED_HOSTS"));
    }

    @Test
    void redisClusterLimitsUseAnExistingServerItsSecretAndItsCa() {
        Manifests.Rendered r = Chart.withExample("redis-cluster-limits-values.yaml").render();
        assertTrue(r.find(Secret.class).isEmpty(), () -> "every secret is an existing one: " + r.kinds());
        Deployment deployment = r.one(Deployment.class);
        assertEquals(3, deployment.getSpec().getReplicas());
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container udapi = container(pod, "udapi");

        Map<String, String> config = r.one(ConfigMap.class).getData();
        assertEquals("elasticsearch", config.get("UDAPI_STORE"));
        assertEquals("cluster", config.get("UDAPI_LIMITS_SCOPE"));
        assertEquals("rediss://valkey.cache.svc:6380", config.get("UDAPI_LIMITS_REDIS_URL"));
        assertEquals("udapi:limit:", config.get("UDAPI_LIMITS_REDIS_KEY_PREFIX"));
        assertEquals("udapi:changes", config.get("UDAPI_SYNC_PUSH_CHANNEL"), "udapi's own default channel");
        assertEquals("50ms", config.get("UDAPI_LIMITS_CLUSTER_TIMEOUT"));
        assertEquals("fail-open-local", config.get("UDAPI_LIMITS_CLUSTER_FAILURE"));
        assertFalse(config.containsKey("UDAPI_LIMITS_REDIS_PASSWORD"), "secrets never go to the ConfigMap");

        // the password comes from the existing Secret's key, by a secretKeyRef (never a plain value)
        EnvVar password = env(udapi, "UDAPI_LIMITS_REDIS_PASSWORD");
        assertNull(password.getValue());
        var ref = password.getValueFrom().getSecretKeyRef();
        assertEquals(List.of("udapi-redis", "password"), List.of(ref.getName(), ref.getKey()));
        assertTrue(ref.getOptional() == null || !ref.getOptional(), "a configured password must exist");

        // the PEM CA is mounted read-only and the setting names the mounted file
        Volume ca = volume(pod, "redis-ca");
        assertEquals("udapi-redis-ca", ca.getSecret().getSecretName());
        assertEquals(List.of("ca.crt"), ca.getSecret().getItems().stream().map(i -> i.getKey()).toList());
        assertEquals(List.of("ca.crt"), ca.getSecret().getItems().stream().map(i -> i.getPath()).toList());
        VolumeMount mount = mount(udapi, "redis-ca");
        assertTrue(mount.getReadOnly());
        assertEquals(mount.getMountPath() + "/ca.crt", config.get("UDAPI_LIMITS_REDIS_TLS_TRUST_PEM"));
        // a PEM file for Redis, not a JVM truststore: no init container, no trust-store arguments
        assertTrue(pod.getInitContainers().isEmpty());
        assertTrue(udapi.getArgs() == null || udapi.getArgs().isEmpty(), () -> "args: " + udapi.getArgs());
    }

    @Test
    void redisIsOffByDefaultEvenWithAUrl() {
        for (Chart chart : List.of(Chart.defaults(), Chart.withExample("existing-secrets-values.yaml"),
                Chart.defaults().set("redis.url", "rediss://valkey:6380").set("redis.password", "unused-pw")
                        .set("redis.tls.caSecret", "redis-ca"))) {
            Manifests.Rendered r = chart.render();
            Map<String, String> config = r.one(ConfigMap.class).getData();
            assertTrue(config.keySet().stream().noneMatch(k -> k.startsWith("UDAPI_LIMITS_")),
                    () -> chart + ": no rate-limit settings expected: " + config.keySet());
            PodSpec pod = podTemplate(r).getSpec();
            Container udapi = container(pod, "udapi");
            assertTrue(udapi.getEnv().stream().noneMatch(e -> e.getName().startsWith("UDAPI_LIMITS_")), chart::toString);
            assertTrue(pod.getVolumes().stream().noneMatch(v -> v.getName().startsWith("redis")), chart::toString);
            assertTrue(r.all(Secret.class).stream().noneMatch(s -> s.getMetadata().getName().endsWith("-redis")),
                    chart::toString);
        }
    }

    @Test
    void aRedisPasswordGivenAsAValueGoesToTheChartsOwnSecretOnly() {
        String secretValue = "s3cret-Redis-pw";
        Manifests.Rendered r = Chart.defaults()
                .set("redis.enabled", true)
                .set("redis.url", "redis://valkey.cache.svc:6379")
                .set("redis.password", secretValue)
                .set("redis.clusterFailure", "fail-closed")
                .set("redis.clusterTimeout", "100ms")
                .set("redis.keyPrefix", "team-a:limit:")
                .set("redis.pushChannel", "team-a:changes")
                .render();
        Secret secret = r.all(Secret.class).stream().filter(s -> s.getMetadata().getName().equals("udapi-redis"))
                .findFirst().orElseThrow(() -> new AssertionError("no Secret udapi-redis: " + r.kinds()));
        assertEquals(Set.of("password"), secret.getData().keySet());
        assertEquals(Base64.getEncoder().encodeToString(secretValue.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                secret.getData().get("password"));
        assertEquals(secretValue, decode(secret, "password"));
        assertTrue(secret.getStringData() == null || secret.getStringData().isEmpty());

        Container udapi = container(podTemplate(r).getSpec(), "udapi");
        var ref = env(udapi, "UDAPI_LIMITS_REDIS_PASSWORD").getValueFrom().getSecretKeyRef();
        assertEquals(List.of("udapi-redis", "password"), List.of(ref.getName(), ref.getKey()));

        Map<String, String> config = r.one(ConfigMap.class).getData();
        assertEquals("cluster", config.get("UDAPI_LIMITS_SCOPE"));
        assertEquals("redis://valkey.cache.svc:6379", config.get("UDAPI_LIMITS_REDIS_URL"));
        assertEquals("fail-closed", config.get("UDAPI_LIMITS_CLUSTER_FAILURE"));
        assertEquals("100ms", config.get("UDAPI_LIMITS_CLUSTER_TIMEOUT"));
        assertEquals("team-a:limit:", config.get("UDAPI_LIMITS_REDIS_KEY_PREFIX"));
        assertEquals("team-a:changes", config.get("UDAPI_SYNC_PUSH_CHANNEL"), "a release's own channel");
        assertFalse(config.containsKey("UDAPI_LIMITS_REDIS_TLS_TRUST_PEM"), "no CA given: the JVM's CAs");
        assertTrue(config.values().stream().noneMatch(v -> v.contains(secretValue)), "the password is never in the ConfigMap");
        assertTrue(udapi.getEnv().stream().noneMatch(e -> secretValue.equals(e.getValue())), "nor a plain env value");
        assertTrue(podTemplate(r).getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals("redis-ca")));
    }

    @Test
    void pdbAndServiceMonitorAreOffByDefaultAndToggleOn() {
        Manifests.Rendered off = Chart.defaults().render();
        assertTrue(off.find(PodDisruptionBudget.class).isEmpty());
        assertTrue(off.find(ServiceMonitor.class).isEmpty());

        Manifests.Rendered on = Chart.defaults()
                .set("podDisruptionBudget.enabled", true)
                .set("serviceMonitor.enabled", true)
                .render();
        PodDisruptionBudget pdb = on.one(PodDisruptionBudget.class);
        assertEquals(1, pdb.getSpec().getMinAvailable().getIntVal());
        ServiceMonitor monitor = on.one(ServiceMonitor.class);
        assertEquals("30s", monitor.getSpec().getEndpoints().get(0).getInterval());
        assertEquals("management", monitor.getSpec().getEndpoints().get(0).getPort());
    }

    static Stream<Arguments> valuesTheSchemaRejects() {
        return Stream.of(
                Arguments.of("kind", "StatefulSet"),
                Arguments.of("replicas", 2),                            // unknown top-level key (replicaCount)
                Arguments.of("resources.limits.cpus", "1"),             // typo in a nested object
                Arguments.of("resources.requests.memory", "lots"),      // not a quantity
                Arguments.of("config.store", "postgres"),
                Arguments.of("config.scriptEngine", "docker"),
                Arguments.of("elasticsearch.protocol", "ftp"),
                Arguments.of("elasticsearch.hosts", "https://es:9200"), // scheme belongs in protocol
                Arguments.of("securityContext.readOnlyRootFilesystem", false),
                Arguments.of("securityContext.runAsNonRoot", false),
                Arguments.of("terminationGracePeriodSeconds", 30),      // not above the ~30 s drain
                Arguments.of("probes.liveness.path", "/health"),        // paths are fixed by the chart
                Arguments.of("serviceMonitor.enabled", "yes"),
                Arguments.of("redis.url", "http://valkey:6379"),        // not redis:// or rediss://
                Arguments.of("redis.url", "valkey:6379"),               // no scheme
                Arguments.of("redis.url", "redis://user:pw@valkey:6379"), // the password belongs in a Secret
                Arguments.of("redis.clusterFailure", "fail-open"),      // outside the enum
                Arguments.of("redis.clusterTimeout", "50"),             // no unit
                Arguments.of("redis.pushChannel", ""),                  // an empty channel
                Arguments.of("redis.pushChannel", "team a"),            // whitespace in a channel name
                Arguments.of("redis.tls.caSecret", "Not_A_Name"),
                Arguments.of("redis.enabled", "yes"),
                Arguments.of("scripts.sandbox.mode", "on"),             // outside the enum
                Arguments.of("scripts.sandbox.writePaths[0]", "tmp"),     // not absolute
                Arguments.of("scripts.sandbox.readPaths[0]", "/a\\,/b"), // a comma inside one path
                Arguments.of("scripts.sandbox.tcpConnectPorts[0]", 65536),
                Arguments.of("scripts.priority.nice", 20),               // above the kernel's range
                Arguments.of("scripts.priority.nice", -1),               // above udapi's priority: needs privilege
                Arguments.of("scripts.priority.oomScoreAdj", -500),      // below udapi's: needs privilege
                Arguments.of("scripts.priority.oomScoreAdj", 1001),
                Arguments.of("config.adminAllowedHosts[0]", "a.example,b.example"), // one name per entry
                Arguments.of("config.adminAllowedHosts[0]", "https://admin.example"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("valuesTheSchemaRejects")
    void schemaRejectsBadValues(String key, Object value) {
        Exception e = assertThrows(Exception.class, () -> Chart.defaults().set(key, value).template());
        assertTrue(e.getMessage().contains("schema"), () -> "expected a schema violation, got: " + e.getMessage());
        String field = key.substring(key.lastIndexOf('.') + 1).replaceAll("\\[\\d+]$", "");
        assertTrue(e.getMessage().contains(field), () -> "the violation should name " + field + ": " + e.getMessage());
    }

    static Stream<Arguments> combinationsTheTemplatesRefuse() {
        return Stream.of(
                Arguments.of(Chart.defaults().set("config.store", "elasticsearch"), "elasticsearch.hosts"),
                Arguments.of(Chart.defaults().set("config.store", "elasticsearch").set("elasticsearch.hosts", "es:9200"),
                        "pepper"),
                Arguments.of(Chart.defaults().set("replicaCount", 3), "replicaCount 1"),
                Arguments.of(Chart.defaults().set("config.scriptEngine", "http"), "httpEngineUrl"),
                Arguments.of(Chart.defaults().set("kind", "DaemonSet").set("persistence.enabled", true),
                        "persistence.enabled"),
                Arguments.of(Chart.withExample("existing-secrets-values.yaml").set("elasticsearch.tls.enabled", true),
                        "caSecret"),
                Arguments.of(Chart.defaults().set("podDisruptionBudget.enabled", true)
                        .set("podDisruptionBudget.maxUnavailable", 1), "only one of minAvailable"),
                Arguments.of(Chart.defaults().set("redis.enabled", true), "redis.url"),
                Arguments.of(Chart.withExample("redis-cluster-limits-values.yaml").set("redis.password", "pw"),
                        "only one of redis.password and redis.existingSecret"),
                Arguments.of(Chart.withExample("redis-cluster-limits-values.yaml").set("redis.url", "redis://valkey:6379"),
                        "rediss://"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("combinationsTheTemplatesRefuse")
    void templatesRefuseInconsistentCombinations(Chart chart, String hint) {
        Exception e = assertThrows(Exception.class, chart::template);
        assertTrue(e.getMessage().contains(hint), () -> "expected a message about " + hint + ", got: " + e.getMessage());
    }

    @Test
    void theScriptSandboxIsOnByDefaultAndItsPathsAndPortsReachTheConfigMap() {
        Map<String, String> defaults = Chart.defaults().render().one(ConfigMap.class).getData();
        assertEquals("auto", defaults.get("UDAPI_SCRIPTS_SANDBOX_MODE"));
        assertFalse(defaults.containsKey("UDAPI_SCRIPTS_SANDBOX_READ_PATHS"), "udapi's own defaults apply");
        assertFalse(defaults.containsKey("UDAPI_SCRIPTS_SANDBOX_WRITE_PATHS"));
        assertFalse(defaults.containsKey("UDAPI_SCRIPTS_SANDBOX_TCP_CONNECT_PORTS"));

        Map<String, String> set = Chart.defaults().set("scripts.sandbox.mode", "required")
                .set("scripts.sandbox.readPaths[0]", "/usr").set("scripts.sandbox.readPaths[1]", "/etc/ssl")
                .set("scripts.sandbox.writePaths[0]", "/tmp").set("scripts.sandbox.writePaths[1]", "/work/out")
                .set("scripts.sandbox.tcpConnectPorts[0]", 443).set("scripts.sandbox.tcpConnectPorts[1]", 8443)
                .render().one(ConfigMap.class).getData();
        assertEquals("required", set.get("UDAPI_SCRIPTS_SANDBOX_MODE"));
        assertEquals("/usr,/etc/ssl", set.get("UDAPI_SCRIPTS_SANDBOX_READ_PATHS"));
        assertEquals("/tmp,/work/out", set.get("UDAPI_SCRIPTS_SANDBOX_WRITE_PATHS"));
        assertEquals("443,8443", set.get("UDAPI_SCRIPTS_SANDBOX_TCP_CONNECT_PORTS"));
    }

    @Test
    void scriptsRunBelowUdapisPriorityByDefaultAndThePrioritySettingsReachTheConfigMap() {
        Map<String, String> defaults = Chart.defaults().render().one(ConfigMap.class).getData();
        assertEquals("10", defaults.get("UDAPI_SCRIPTS_PRIORITY_NICE"));
        assertEquals("1000", defaults.get("UDAPI_SCRIPTS_PRIORITY_OOM_SCORE_ADJ"));
        Map<String, String> set = Chart.defaults().set("scripts.priority.nice", 0).set("scripts.priority.oomScoreAdj", 500)
                .render().one(ConfigMap.class).getData();
        assertEquals("0", set.get("UDAPI_SCRIPTS_PRIORITY_NICE"));
        assertEquals("500", set.get("UDAPI_SCRIPTS_PRIORITY_OOM_SCORE_ADJ"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/work/data", "/work/data/", "/work", "/"})
    void aSandboxPathThatCoversTheDataDirectoryIsRefused(String path) {
        for (String key : List.of("scripts.sandbox.readPaths", "scripts.sandbox.writePaths")) {
            Exception e = assertThrows(Exception.class, () -> Chart.defaults().set(key + "[0]", path).template());
            assertTrue(e.getMessage().contains("covers config.fileStoreDir /work/data"), () -> key + ": " + e.getMessage());
        }
        // a sibling that only shares the prefix is not the data directory
        assertEquals("/work/database", Chart.defaults().set("scripts.sandbox.writePaths[0]", "/work/database")
                .render().one(ConfigMap.class).getData().get("UDAPI_SCRIPTS_SANDBOX_WRITE_PATHS"));
    }

    @Test
    void configChangesRollThePods() {
        Function<Manifests.Rendered, Map<String, String>> annotations =
                r -> podTemplate(r).getMetadata().getAnnotations();
        Map<String, String> before = annotations.apply(Chart.defaults().render());
        Map<String, String> after = annotations.apply(Chart.defaults().set("config.accessLog", false).render());
        assertFalse(before.get("checksum/config").equals(after.get("checksum/config")));
        assertEquals(before.get("checksum/secret"), after.get("checksum/secret"));
    }

    // ---- helpers ----

    static PodTemplateSpec podTemplate(Manifests.Rendered r) {
        List<Deployment> deployments = r.all(Deployment.class);
        List<DaemonSet> daemonSets = r.all(DaemonSet.class);
        assertEquals(1, deployments.size() + daemonSets.size(), () -> "one workload expected: " + r.kinds());
        return deployments.isEmpty() ? daemonSets.get(0).getSpec().getTemplate() : deployments.get(0).getSpec().getTemplate();
    }

    static void assertHttpProbe(Probe probe, String path, PodSpec pod) {
        assertNotNull(probe, path);
        assertEquals(path, probe.getHttpGet().getPath());
        var port = probe.getHttpGet().getPort();
        int number = port.getIntVal() != null ? port.getIntVal()
                : pod.getContainers().stream().flatMap(c -> c.getPorts().stream())
                        .filter(p -> port.getStrVal().equals(p.getName())).findFirst().orElseThrow().getContainerPort();
        assertEquals(9000, number, () -> path + " must be probed on the management port");
        assertTrue(probe.getPeriodSeconds() > 0 && probe.getFailureThreshold() > 0 && probe.getTimeoutSeconds() > 0);
    }

    static void assertHardened(SecurityContext sc) {
        assertNotNull(sc, "securityContext");
        assertAll(
                () -> assertTrue(sc.getRunAsNonRoot(), "runAsNonRoot"),
                () -> assertEquals(1001L, sc.getRunAsUser(), "runAsUser"),
                () -> assertTrue(sc.getReadOnlyRootFilesystem(), "readOnlyRootFilesystem"),
                () -> assertFalse(sc.getAllowPrivilegeEscalation(), "allowPrivilegeEscalation"),
                () -> assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), "capabilities.drop"),
                () -> assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty()),
                () -> assertEquals("RuntimeDefault", sc.getSeccompProfile().getType(), "seccompProfile"));
    }

    static void assertEveryMountHasAVolume(PodSpec pod) {
        Set<String> volumes = pod.getVolumes().stream().map(Volume::getName).collect(Collectors.toSet());
        Stream.concat(pod.getContainers().stream(), pod.getInitContainers().stream())
                .flatMap(c -> c.getVolumeMounts().stream())
                .forEach(m -> assertTrue(volumes.contains(m.getName()), () -> "no volume for mount " + m.getName()));
    }

    static Container container(PodSpec pod, String name) {
        return container(pod.getContainers(), name);
    }

    static Container container(List<Container> containers, String name) {
        return containers.stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    static VolumeMount mount(Container c, String name) {
        return c.getVolumeMounts().stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volumeMount " + name + " in " + c.getName()));
    }

    static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name + " in " + c.getName()));
    }

    static String decode(Secret secret, String key) {
        String value = secret.getData().get(key);
        assertNotNull(value, () -> "no key " + key + " in Secret " + secret.getMetadata().getName());
        return new String(Base64.getDecoder().decode(value), java.nio.charset.StandardCharsets.UTF_8);
    }
}
