package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console's browser suite ({@code src/test/console/console.test.mjs}): Playwright driving
 * Debian's Chromium headless against the packaged service, with real HTTP, the file store and the
 * real scripts. Without Chromium or Node.js this fails and says what to install; it never skips.
 */
class ConsoleBrowserIT {

    private static final Path SUITE = Path.of("src/test/console");
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final List<String> VIEWS_SHOWN = List.of("desktop-sign-in", "desktop-dashboard", "desktop-tokens",
            "desktop-tokens-last-used", "desktop-token-secret",
            "desktop-api-create", "desktop-tester", "desktop-audit", "desktop-revoke-result",
            "desktop-token-menu", "desktop-token-ranges", "desktop-token-rotate", "desktop-tokens-overlap", "desktop-apis",
            "desktop-users", "desktop-user-create", "desktop-user-password", "desktop-user-last-manager", "desktop-forbidden",
            "phone-dashboard", "phone-tokens", "phone-apis", "phone-tester", "phone-audit", "phone-users", "phone-token-rotate",
            "phone-user-create");

    @TempDir
    Path work;

    @Test
    void consoleSignsInManagesTokensAndApisTriggersAndAuditsInChromium() throws Exception {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assertTrue(Files.isExecutable(Path.of(chromium)),
                chromium + " not found: install Debian's Chromium (apt-get install chromium) or set CHROMIUM; .ci/run does this");
        String node = onPath("node", "install Node.js 18+ (apt-get install nodejs npm)");
        installPlaywright();

        try (ServiceProcess service = new ServiceProcess(work.resolve("data"), work.resolve("udapi.log"),
                ServiceProcess.config()).start()) {
            ProcessBuilder suite = new ProcessBuilder(node, "--test", "--test-reporter=spec", "console.test.mjs")
                    .directory(SUITE.toFile()).redirectErrorStream(true);
            Map<String, String> env = suite.environment();
            env.put("UDAPI_URL", service.baseUrl());
            env.put("UDAPI_ADMIN_PASSWORD", ServiceProcess.ADMIN_PASSWORD);
            env.put("SCREENSHOT_DIR", SCREENSHOTS.toAbsolutePath().toString());
            env.put("CHROMIUM", chromium);
            String output = run(suite, 10);
            Files.writeString(Path.of("target/console-test.log"), output);
            assertTrue(output.contains("ℹ fail 0"), "the browser suite failed:\n" + output);
        }
        for (String view : VIEWS_SHOWN) {
            Path png = SCREENSHOTS.resolve(view + ".png");
            assertTrue(Files.size(png) > 10_000, png + " is missing or empty");
        }
    }

    /** playwright-core and axe-core from the npm registry, pinned by package-lock.json; no browser download. */
    private static void installPlaywright() throws Exception {
        if (Files.isDirectory(SUITE.resolve("node_modules/playwright-core"))
                && Files.isRegularFile(SUITE.resolve("node_modules/axe-core/axe.min.js"))) {
            return;
        }
        String npm = onPath("npm", "install npm (apt-get install npm)");
        run(new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund").directory(SUITE.toFile()).redirectErrorStream(true), 5);
    }

    private static String run(ProcessBuilder builder, int minutes) throws Exception {
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        boolean done = process.waitFor(minutes, TimeUnit.MINUTES);
        String output = new String(out, StandardCharsets.UTF_8);
        assertTrue(done, String.join(" ", builder.command()) + " did not finish:\n" + output);
        assertEquals(0, process.exitValue(), String.join(" ", builder.command()) + " failed:\n" + output);
        return output;
    }

    private static String onPath(String command, String advice) throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError(command + " not found on PATH: " + advice);
    }
}
