package io.udapi.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses Kubernetes manifests strictly into the fabric8 model.
 *
 * <p>fabric8's model classes swallow unknown fields into {@code additionalProperties} through a
 * Jackson any-setter, so {@code FAIL_ON_UNKNOWN_PROPERTIES} alone would never fire. The mapper here
 * removes that any-setter from every fabric8 bean, so a misspelt or misplaced field anywhere in a
 * manifest (a container's {@code securityContex}, a probe's {@code paht}) fails the parse, as
 * {@code kubectl apply --validate=strict} would. Duplicate keys fail too.
 */
final class Manifests {

    /** apiVersion/kind of every resource the chart and the deploy/ examples may produce. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/DaemonSet", DaemonSet.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class);

    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .addModule(new SimpleModule("strict-fabric8").setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                        BeanDeserializerBuilder builder) {
                    if (bean.getBeanClass().getName().startsWith("io.fabric8.")) {
                        builder.setAnySetter(null);
                    }
                    return builder;
                }
            }))
            .build();

    static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private Manifests() {
    }

    /** Every non-empty YAML document of a multi-document stream, as trees. */
    static List<JsonNode> documents(String yaml) {
        try (var parser = new YAMLFactory().createParser(yaml)) {
            List<JsonNode> docs = new ArrayList<>();
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readTree(Path file) {
        try {
            return YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Strict parse of one manifest into its fabric8 class; unknown apiVersion/kind fails. */
    static HasMetadata parse(JsonNode doc) {
        String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        Class<? extends HasMetadata> type = KINDS.get(key);
        if (type == null) {
            throw new IllegalArgumentException("unexpected resource " + key + " (no strict model registered)");
        }
        try {
            return STRICT.treeToValue(doc, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid " + key + " " + doc.path("metadata").path("name").asText()
                    + ": " + e.getMessage(), e);
        }
    }

    static List<HasMetadata> parseAll(String yaml) {
        return documents(yaml).stream().map(Manifests::parse).toList();
    }

    /** The rendered resources of one chart rendering or one kustomize build. */
    record Rendered(List<HasMetadata> resources) {

        static Rendered of(String yaml) {
            return new Rendered(parseAll(yaml));
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return resources.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> Optional<T> find(Class<T> type) {
            List<T> found = all(type);
            if (found.size() > 1) {
                throw new AssertionError("more than one " + type.getSimpleName() + ": " + found);
            }
            return found.stream().findFirst();
        }

        <T extends HasMetadata> T one(Class<T> type) {
            return find(type).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + kinds()));
        }

        List<String> kinds() {
            return resources.stream().map(HasMetadata::getKind).sorted().toList();
        }
    }
}
