package io.udapi.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository, found from the test's working directory. */
final class Project {

    static final Path ROOT = findRoot();
    static final Path CHART = ROOT.resolve("helm/udapi");
    static final Path SIDECAR = ROOT.resolve("deploy/sidecar");
    static final Path COMPOSE = ROOT.resolve("deploy/compose/docker-compose.yml");

    private Project() {
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("helm/udapi"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("repository root (pom.xml + helm/udapi) not found above "
                + Path.of("").toAbsolutePath());
    }
}
