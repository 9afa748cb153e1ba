package io.udapi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's walkthrough block as written, against the packaged service: if the README and the
 * service drift apart, this fails.
 */
class WalkthroughIT {

    @TempDir
    Path work;

    @Test
    void readmeWalkthroughRunsAsWrittenAndDisabledTokenIsRefused() throws Exception {
        String block = walkthroughBlock(Files.readString(Path.of("README.md")));
        try (ServiceProcess service = new ServiceProcess(work.resolve("data"), work.resolve("udapi.log"),
                ServiceProcess.config()).start()) {
            // the only edits: the password of this run, and the port instead of 8080
            String script = block
                    .replace("ADMIN='admin:the-printed-password'", "ADMIN='admin:" + ServiceProcess.ADMIN_PASSWORD + "'")
                    .replace("BASE=http://localhost:8080", "BASE=" + service.baseUrl());
            Path file = work.resolve("walkthrough.sh");
            Files.writeString(file, "set -euo pipefail\n" + script);
            Process bash = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true).start();
            assertTrue(bash.waitFor(60, TimeUnit.SECONDS), "the walkthrough did not finish");
            String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, bash.exitValue(), "walkthrough failed:\n" + output);
            assertTrue(output.contains("\"routeParameters\":{\"id\":\"42\"}"), "the trigger reached the script:\n" + output);
            assertTrue(output.contains("\"name\":\"ci-bot\""), "the list shows the token:\n" + output);
            assertTrue(output.contains("\"isDisabled\":true"), "the token was disabled:\n" + output);
            assertTrue(output.strip().endsWith("}401"), "the last trigger, with the disabled token, answers 401:\n" + output);
        }
        List<String> foreign = foreignWarnings(Files.readAllLines(work.resolve("udapi.log")));
        assertEquals(List.of(), foreign, "a default start and the walkthrough log no WARN or ERROR of the frameworks");
    }

    /** WARN and ERROR lines of loggers outside io.udapi: framework noise, or a setting the frameworks do not know. */
    static List<String> foreignWarnings(List<String> log) {
        Pattern line = Pattern.compile("^\\S+ \\S+ (WARN|ERROR) +\\[([^\\]]+)\\].*");
        List<String> foreign = new ArrayList<>();
        for (String l : log) {
            Matcher m = line.matcher(l);
            if (m.matches() && !m.group(2).startsWith("io.udapi")) {
                foreign.add(l);
            }
        }
        return foreign;
    }

    static String walkthroughBlock(String readme) {
        int section = readme.indexOf("### Walkthrough");
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        int end = readme.indexOf("```", start);
        if (section < 0 || start < section || end < start) {
            throw new IllegalStateException("README.md has no ### Walkthrough with a ```sh block");
        }
        return readme.substring(start, end);
    }
}
