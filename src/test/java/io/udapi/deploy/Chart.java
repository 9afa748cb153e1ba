package io.udapi.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders helm/udapi with the Helm library embedded in helm-java (no helm binary needed). */
final class Chart {

    static final String RELEASE = "udapi";
    static final String NAMESPACE = "agents";
    /** The cluster version the chart is rendered for (Chart.yaml asks for >= 1.25). */
    static final String KUBE_VERSION = "1.32.0";

    private final Map<String, Object> sets = new LinkedHashMap<>();
    private Path valuesFile;

    static Chart defaults() {
        return new Chart();
    }

    /** One of the example values files under helm/udapi/ci/. */
    static Chart withExample(String name) {
        Chart chart = new Chart();
        chart.valuesFile = Project.CHART.resolve("ci").resolve(name);
        return chart;
    }

    Chart set(String key, Object value) {
        sets.put(key, value);
        return this;
    }

    /** The rendered manifests as YAML; throws when a template fails or the values break the schema. */
    String template() {
        TemplateCommand command = new Helm(Project.CHART).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> e : sets.entrySet()) {
            command = command.set(e.getKey(), e.getValue());
        }
        return command.call();
    }

    /** Renders, keeps a copy under target/rendered/ for inspection, and parses strictly. */
    Manifests.Rendered render() {
        String yaml = template();
        try {
            Path dir = Project.ROOT.resolve("target/rendered");
            Files.createDirectories(dir);
            String name = toString().replaceAll("[^-.A-Za-z0-9]+", "_");
            if (name.length() > 150) { // a file name has at most 255 bytes
                name = name.substring(0, 140) + "-" + Integer.toHexString(name.hashCode());
            }
            Files.writeString(dir.resolve(name + ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Manifests.Rendered.of(yaml);
    }

    @Override
    public String toString() {
        return (valuesFile == null ? "defaults" : valuesFile.getFileName().toString()) + (sets.isEmpty() ? "" : " " + sets);
    }
}
