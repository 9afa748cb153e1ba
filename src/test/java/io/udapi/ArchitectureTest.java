package io.udapi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The package rules of docs/architecture.md, checked on the compiled main classes. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.udapi");

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
}
