package io.udapi;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The package rules of docs/architecture.md, checked on the compiled main classes. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.udapi");

    @Test
    void theRulesSeeTheWholeService() {
        // a rule over an empty import passes vacuously: make sure the importer found the service's classes
        assertTrue(MAIN.contain("io.udapi.trigger.TriggerHandler"), "the trigger handler is imported");
        assertTrue(MAIN.size() > 150, "imported " + MAIN.size() + " classes");
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("io.udapi.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theModelKnowsNothingOfHttpOrStorage() {
        noClasses().that().resideInAnyPackage("io.udapi.token..", "io.udapi.definition..", "io.udapi.user..",
                        "io.udapi.audit..")
                .should().dependOnClassesThat().resideInAnyPackage("io.udapi.store..", "io.udapi.manage..",
                        "io.udapi.trigger..", "io.vertx..", "jakarta.ws.rs..", "org.elasticsearch..")
                .check(MAIN);
    }

    @Test
    void everyPackageStatesItsPurposeThreadingAndErrorPolicy() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(Path.of("src/main/java/io/udapi"))) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Path info = dir.resolve("package-info.java");
                if (!Files.exists(info)) {
                    missing.add(dir + ": no package-info.java");
                    continue;
                }
                String text = Files.readString(info);
                for (String heading : List.of("Purpose", "Threading", "Error policy")) {
                    if (!text.contains(heading)) {
                        missing.add(info + ": no \"" + heading + "\"");
                    }
                }
            }
        }
        assertTrue(missing.isEmpty(), String.join("\n", missing));
    }

    /** Small classes (docs/architecture.md): a file of src/main over this many lines of code is split. */
    static final int MAX_LINES_OF_CODE = 300;

    @Test
    void noClassInSrcMainHasMoreThan300LinesOfCode() throws IOException {
        List<String> large = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path file : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                files++;
                int lines = linesOfCode(Files.readString(file));
                if (lines > MAX_LINES_OF_CODE) {
                    large.add(file + ": " + lines + " lines of code");
                }
            }
        }
        assertTrue(files > 150, "read " + files + " source files");
        assertTrue(large.isEmpty(), String.join("\n", large));
    }

    @Test
    void linesOfCodeLeaveOutBlankLinesAndComments() {
        String source = "/** doc\n * more\n */\nclass A {\n\n    // why\n    int x; /* inline */\n    /* one */\n}\n";
        org.junit.jupiter.api.Assertions.assertEquals(3, linesOfCode(source));
    }

    /** Lines that hold code: not blank, not only a comment (block comments and // lines). */
    static int linesOfCode(String source) {
        String withoutBlocks = source.replaceAll("(?s)/\\*.*?\\*/", "");
        int lines = 0;
        for (String line : withoutBlocks.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("//")) {
                lines++;
            }
        }
        return lines;
    }
}
