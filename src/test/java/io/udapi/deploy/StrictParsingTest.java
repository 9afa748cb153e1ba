package io.udapi.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** The strict parser of {@link Manifests} really rejects what a lenient fabric8 parse would accept. */
class StrictParsingTest {

    private static final String VALID = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: demo
            spec:
              replicas: 1
              selector:
                matchLabels: {app: demo}
              template:
                metadata:
                  labels: {app: demo}
                spec:
                  containers:
                    - name: demo
                      image: demo:1
                      securityContext:
                        readOnlyRootFilesystem: true
                      readinessProbe:
                        httpGet: {path: /q/health/ready, port: 9000}
            """;

    @Test
    void aValidManifestParses() {
        Deployment d = (Deployment) Manifests.parse(Manifests.documents(VALID).get(0));
        assertTrue(d.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem());
    }

    @Test
    void aTypoInANestedFieldFails() {
        String typo = VALID.replace("securityContext:", "securityContex:");
        var e = assertThrows(IllegalArgumentException.class, () -> Manifests.parse(Manifests.documents(typo).get(0)));
        assertTrue(e.getMessage().contains("securityContex"), e.getMessage());
    }

    @Test
    void aMisplacedFieldFails() {
        // "path" one level too high: inside readinessProbe instead of httpGet
        var misplaced = Manifests.documents(VALID.replace("httpGet: {path: /q/health/ready, port: 9000}",
                "path: /q/health/ready\n            httpGet: {port: 9000}")).get(0);
        assertEquals("/q/health/ready", misplaced.at("/spec/template/spec/containers/0/readinessProbe/path").asText());
        assertThrows(IllegalArgumentException.class, () -> Manifests.parse(misplaced));
        var topLevel = Manifests.documents(VALID.replace("replicas: 1", "replica: 1")).get(0);
        assertThrows(IllegalArgumentException.class, () -> Manifests.parse(topLevel));
    }

    @Test
    void aWrongTypeFails() {
        String wrongType = VALID.replace("replicas: 1", "replicas: one");
        assertThrows(IllegalArgumentException.class, () -> Manifests.parse(Manifests.documents(wrongType).get(0)));
    }

    @Test
    void duplicateKeysFail() {
        String duplicate = VALID.replace("  replicas: 1", "  replicas: 1\n  replicas: 2");
        assertThrows(RuntimeException.class, () -> Manifests.parse(Manifests.documents(duplicate).get(0)));
    }

    @Test
    void anUnknownKindFails() {
        String kind = VALID.replace("kind: Deployment", "kind: Deploymnet");
        assertThrows(IllegalArgumentException.class, () -> Manifests.parse(Manifests.documents(kind).get(0)));
    }

    /** Why the any-setter is removed: plain Jackson with FAIL_ON_UNKNOWN_PROPERTIES lets the typo through. */
    @Test
    void theLenientFabric8ModelWouldHaveAcceptedTheTypo() throws Exception {
        String typo = VALID.replace("securityContext:", "securityContex:");
        var lenient = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Deployment d = lenient.treeToValue(Manifests.documents(typo).get(0), Deployment.class);
        var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(null, container.getSecurityContext());
        assertTrue(container.getAdditionalProperties().containsKey("securityContex"));
    }
}
