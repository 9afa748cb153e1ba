package io.udapi.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.udapi.LogCapture;
import io.udapi.config.UdapiConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md, "Script isolation": a data directory beneath a path the sandbox grants to scripts (as a
 * file store under /tmp is with the default write paths) is named in a WARN at start, and one outside is not.
 * The sandbox is the real one, on this machine's kernel.
 */
class SandboxExposureWarningTest {

    private Path root;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createTempDirectory(Files.createDirectories(Path.of("target/tmp")).toAbsolutePath(), "udapi-exposure-");
        Files.createDirectories(root.resolve("scripts"));
        Files.createDirectories(root.resolve("granted/data"));
        Files.createDirectories(root.resolve("private/data"));
    }

    private List<String> warningsFor(Path dataDir) {
        UdapiConfig config = new SmallRyeConfigBuilder().withMapping(UdapiConfig.class)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of(
                        "udapi.store", "file",
                        "udapi.file-store.dir", dataDir.toString(),
                        "udapi.scripts.dir", root.resolve("scripts").toString(),
                        "udapi.scripts.sandbox.mode", "required",
                        "udapi.scripts.sandbox.write-paths", "/dev," + root.resolve("granted")), "test", 250))
                .build().getConfigMapping(UdapiConfig.class);
        try (LogCapture capture = LogCapture.start(); ScriptSandbox sandbox = ScriptEngines.sandbox(config)) {
            assertTrue(sandbox.confines());
            return capture.records().stream()
                    .filter(r -> ScriptEngines.class.getName().equals(r.getLoggerName()))
                    .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                    .map(LogCapture::message).toList();
        }
    }

    @Test
    void aDataDirectoryBeneathAGrantedWritePathIsNamedInAWarning() {
        Path exposed = root.resolve("granted/data");
        assertEquals(List.of(exposed + " is beneath a path that udapi.scripts.sandbox grants to scripts: scripts can read it"),
                warningsFor(exposed));
    }

    /** Where scripts may signal udapi (a kernel before Landlock ABI 6, which cannot run here), an attachable JVM is named. */
    @Test
    void anAttachableJvmIsNamedInAWarningWhereScriptsCanSignalIt() {
        var beforeAbi6 = new io.udapi.os.Landlock.Outcome.Restricted(5, false, List.of(), false);
        var abi6 = new io.udapi.os.Landlock.Outcome.Restricted(6, true, List.of(), false);
        var none = new io.udapi.os.Landlock.Outcome.Unavailable("Landlock is not enabled in this kernel (errno 38)");
        assertTrue(ScriptEngines.attachWarning(beforeAbi6, true).orElseThrow().contains("-XX:+DisableAttachMechanism"));
        assertTrue(ScriptEngines.attachWarning(none, true).orElseThrow().contains("no script sandbox"));
        assertEquals(java.util.Optional.empty(), ScriptEngines.attachWarning(abi6, true), "signals are scoped");
        assertEquals(java.util.Optional.empty(), ScriptEngines.attachWarning(beforeAbi6, false), "no attach mechanism");
    }

    @Test
    void aDataDirectoryOutsideEveryGrantedPathGivesNoWarning() {
        assertEquals(List.of(), warningsFor(root.resolve("private/data")));
    }
}
