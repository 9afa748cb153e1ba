package io.udapi.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Static checks of the two Dockerfiles (nothing can be built here: no Docker engine). */
class DockerfilesTest {

    private static List<String> instructions(Path file) throws IOException {
        return Files.readAllLines(file).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    private static List<String> starting(List<String> lines, String instruction) {
        return lines.stream().filter(l -> l.startsWith(instruction + " ")).toList();
    }

    @Test
    void nativeDockerfileBuildsWithMandrelAndRunsNonRootOnTheMicroImage() throws IOException {
        List<String> lines = instructions(Project.ROOT.resolve("Dockerfile.native"));
        List<String> from = starting(lines, "FROM");
        assertEquals(List.of(
                "FROM quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25 AS build",
                "FROM quay.io/quarkus/ubi9-quarkus-micro-image:2.0"), from);
        assertTrue(lines.stream().anyMatch(l -> l.contains("./mvnw -B package -Dnative -DskipTests")));
        assertRuntimeStage(lines);
    }

    @Test
    void jvmDockerfileRunsJava17NonRoot() throws IOException {
        List<String> lines = instructions(Project.ROOT.resolve("src/main/docker/Dockerfile.jvm"));
        List<String> from = starting(lines, "FROM");
        assertEquals("FROM eclipse-temurin:17-jre", from.get(from.size() - 1));
        assertTrue(lines.stream().anyMatch(l -> l.contains("quarkus-run.jar")));
        assertRuntimeStage(lines);
        String javaOpts = starting(lines, "ENV").stream().filter(l -> l.startsWith("ENV JAVA_OPTS=")).findFirst().orElseThrow();
        // a script cannot make the JVM open its attach socket in /tmp, nor read its options from the perf data file
        assertTrue(javaOpts.contains("-XX:+DisableAttachMechanism") && javaOpts.contains("-XX:-UsePerfData"), javaOpts);
    }

    private static void assertRuntimeStage(List<String> lines) {
        int lastFrom = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FROM ")) {
                lastFrom = i;
            }
        }
        List<String> runtime = lines.subList(lastFrom, lines.size());
        List<String> users = starting(runtime, "USER");
        assertEquals("USER 1001", users.get(users.size() - 1), "runs as uid 1001");
        assertEquals(List.of("EXPOSE 8080 9000"), starting(runtime, "EXPOSE"));
        assertEquals(List.of("VOLUME [\"/work/data\"]"), starting(runtime, "VOLUME"));
        assertTrue(starting(lines, "HEALTHCHECK").isEmpty(), "Kubernetes probes do the health checks");
        assertTrue(runtime.stream().anyMatch(l -> l.startsWith("ENTRYPOINT [")), "exec-form entrypoint");
    }
}
