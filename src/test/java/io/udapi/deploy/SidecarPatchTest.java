package io.udapi.deploy;

import static io.udapi.deploy.HelmChartTest.assertEveryMountHasAVolume;
import static io.udapi.deploy.HelmChartTest.assertHardened;
import static io.udapi.deploy.HelmChartTest.assertHttpProbe;
import static io.udapi.deploy.HelmChartTest.container;
import static io.udapi.deploy.HelmChartTest.env;
import static io.udapi.deploy.HelmChartTest.mount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** deploy/sidecar: the patch applied to the example agent gives a valid, hardened two-container pod. */
class SidecarPatchTest {

    private static final JsonNode AGENT = Manifests.readTree(Project.SIDECAR.resolve("example-agent.yaml"));
    private static final JsonNode PATCH = Manifests.readTree(Project.SIDECAR.resolve("udapi-sidecar-patch.yaml"));

    static Deployment merged() {
        return (Deployment) Manifests.parse(StrategicMerge.apply(AGENT, PATCH));
    }

    @Test
    void exampleAgentAndPatchAreValidOnTheirOwn() {
        Manifests.parse(AGENT);
        // the patch is a partial Deployment: still no unknown field anywhere
        Manifests.parse(PATCH);
        assertEquals(AGENT.path("kind"), PATCH.path("kind"));
        assertEquals(AGENT.at("/metadata/name"), PATCH.at("/metadata/name"));
    }

    @Test
    void mergedPodRunsTheAgentUntouchedAndAHardenedUdapi() {
        Deployment deployment = merged();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals(Set.of("agent", "udapi"), names(pod.getContainers(), Container::getName));

        // the agent's container and pod settings are kept as they were
        Deployment original = (Deployment) Manifests.parse(AGENT);
        assertEquals(container(original.getSpec().getTemplate().getSpec(), "agent"), container(pod, "agent"));
        assertEquals(original.getSpec().getTemplate().getSpec().getSecurityContext(), pod.getSecurityContext());
        assertEquals(original.getSpec().getSelector(), deployment.getSpec().getSelector());
        assertEquals("agent", deployment.getSpec().getTemplate().getMetadata().getAnnotations()
                .get("kubectl.kubernetes.io/default-container"));

        Container udapi = container(pod, "udapi");
        assertHttpProbe(udapi.getStartupProbe(), "/q/health/started", pod);
        assertHttpProbe(udapi.getLivenessProbe(), "/q/health/live", pod);
        assertHttpProbe(udapi.getReadinessProbe(), "/q/health/ready", pod);
        assertHardened(udapi.getSecurityContext());
        assertEquals(40L, pod.getTerminationGracePeriodSeconds());

        // udapi runs scripts through the agent in the same pod
        assertEquals("http", env(udapi, "UDAPI_SCRIPT_ENGINE").getValue());
        int agentPort = container(pod, "agent").getPorts().get(0).getContainerPort();
        assertEquals("http://localhost:" + agentPort, env(udapi, "UDAPI_HTTP_ENGINE_URL").getValue());
        assertEquals(Set.of(7070, 8080, 9000), pod.getContainers().stream()
                .flatMap(c -> c.getPorts().stream()).map(p -> p.getContainerPort()).collect(Collectors.toSet()),
                "no port clash between agent and sidecar");

        // volumes: the agent's and udapi's own (data + /tmp for the read-only root filesystem)
        assertEquals(Set.of("agent-tmp", "udapi-data", "udapi-tmp"), names(pod.getVolumes(), Volume::getName));
        assertEquals("/work/data", mount(udapi, "udapi-data").getMountPath());
        assertEquals("/tmp", mount(udapi, "udapi-tmp").getMountPath());
        assertEveryMountHasAVolume(pod);
    }

    /** The sidecar and the chart must not drift apart: same probes, sizing and hardening. */
    @Test
    void sidecarMatchesTheChartDefaults() {
        Container chart = container(HelmChartTest.podTemplate(Chart.defaults().render()).getSpec(), "udapi");
        Container sidecar = container(merged().getSpec().getTemplate().getSpec(), "udapi");
        assertEquals(chart.getSecurityContext(), sidecar.getSecurityContext());
        assertEquals(chart.getResources(), sidecar.getResources());
        assertSameTiming(chart.getStartupProbe(), sidecar.getStartupProbe());
        assertSameTiming(chart.getLivenessProbe(), sidecar.getLivenessProbe());
        assertSameTiming(chart.getReadinessProbe(), sidecar.getReadinessProbe());
    }

    /** Cross-check of the merge above with the real kustomize (kubectl's), when kubectl is installed. */
    @Test
    void kubectlKustomizeRendersTheSamePod() throws Exception {
        String rendered = kustomize();
        List<JsonNode> docs = Manifests.documents(rendered);
        assertEquals(1, docs.size(), rendered);
        Deployment real = (Deployment) Manifests.parse(docs.get(0));
        Deployment ours = merged();
        PodSpec realPod = real.getSpec().getTemplate().getSpec();
        PodSpec ourPod = ours.getSpec().getTemplate().getSpec();
        assertEquals(byName(ourPod.getContainers(), Container::getName), byName(realPod.getContainers(), Container::getName));
        assertEquals(byName(ourPod.getVolumes(), Volume::getName), byName(realPod.getVolumes(), Volume::getName));
        assertEquals(ourPod.getTerminationGracePeriodSeconds(), realPod.getTerminationGracePeriodSeconds());
        assertEquals(ourPod.getSecurityContext(), realPod.getSecurityContext());
        assertEquals(ours.getSpec().getTemplate().getMetadata(), real.getSpec().getTemplate().getMetadata());
        assertEquals(ours.getMetadata(), real.getMetadata());
    }

    private static String kustomize() throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", Project.SIDECAR.toString())
                    .redirectErrorStream(false).start();
        } catch (IOException e) {
            assumeTrue(false, "kubectl is not installed: " + e.getMessage());
            throw e;
        }
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize timed out");
        String stderr = new String(err, StandardCharsets.UTF_8);
        assumeTrue(process.exitValue() == 0 || !stderr.contains("unknown command"), "kubectl without kustomize");
        assertEquals(0, process.exitValue(), stderr);
        return new String(out, StandardCharsets.UTF_8);
    }

    private static void assertSameTiming(Probe chart, Probe sidecar) {
        assertNotNull(sidecar);
        assertEquals(chart.getHttpGet().getPath(), sidecar.getHttpGet().getPath());
        assertEquals(chart.getPeriodSeconds(), sidecar.getPeriodSeconds());
        assertEquals(chart.getFailureThreshold(), sidecar.getFailureThreshold());
        assertEquals(chart.getTimeoutSeconds(), sidecar.getTimeoutSeconds());
    }

    private static <T> Set<String> names(List<T> items, Function<T, String> name) {
        return items.stream().map(name).collect(Collectors.toSet());
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        return items.stream().collect(Collectors.toMap(name, Function.identity()));
    }
}
