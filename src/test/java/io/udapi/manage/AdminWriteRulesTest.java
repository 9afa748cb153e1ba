package io.udapi.manage;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.udapi.registry.Registry;
import io.udapi.secret.SecretHasher;
import io.udapi.store.Repository;
import org.junit.jupiter.api.Test;

/**
 * The shape of the admin write path (docs/architecture.md, "Admin writes"), on the compiled main classes of the
 * management API: one component takes the write lock and writes the store and the registry, and it cannot
 * hash, so Argon2 never runs under the lock.
 */
class AdminWriteRulesTest {

    private static final JavaClasses MANAGE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.udapi.manage");

    @Test
    void onlyAdminWritesTakesTheWriteLock() {
        noClasses().that().doNotHaveFullyQualifiedName(AdminWrites.class.getName())
                .should().dependOnClassesThat().areAssignableTo(WriteLock.class)
                .check(MANAGE);
    }

    @Test
    void onlyAdminWritesWritesTheStoreAndTheRegistry() {
        // the rule passes vacuously unless the calls it forbids elsewhere are seen where they belong
        assertTrue(MANAGE.get(AdminWrites.class).getMethodCallsFromSelf().stream()
                .anyMatch(call -> call.getTargetOwner().isAssignableTo(Repository.class)
                        && call.getName().equals("create")), "AdminWrites' store create is seen");
        noClasses().that().doNotHaveFullyQualifiedName(AdminWrites.class.getName())
                .should().callMethodWhere(target(owner(assignableTo(Repository.class)))
                        .and(target(nameMatching("create|update|delete"))))
                .orShould().callMethodWhere(target(owner(assignableTo(Registry.class)))
                        .and(target(nameMatching("(put|remove).*"))))
                .check(MANAGE);
    }

    @Test
    void adminWritesCannotHash() {
        noClasses().that().haveFullyQualifiedName(AdminWrites.class.getName())
                .or().haveFullyQualifiedName(ObjectKind.class.getName())
                .should().dependOnClassesThat().areAssignableTo(SecretHasher.class)
                .orShould().dependOnClassesThat().areAssignableTo(WriteArgon2.class)
                .check(MANAGE);
    }

    @Test
    void argon2RunsOnlyThroughABoundedGate() {
        // sign-ins through AdminAuthenticator's gate, writes through WriteArgon2's: an unbounded Argon2 run on
        // the REST worker pool costs 19 MiB outside the heap per thread (docs/security.md, "Admin credentials")
        noClasses().that().doNotHaveFullyQualifiedName(WriteArgon2.class.getName())
                .and().doNotHaveFullyQualifiedName(AdminAuthenticator.class.getName())
                .should().dependOnClassesThat().areAssignableTo(SecretHasher.class)
                .check(MANAGE);
    }
}
