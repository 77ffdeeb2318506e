package io.steward.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.sql.SQLException;

/** The server's house rules (layering, JDBC only in repositories, the API package stands alone), enforced on its production classes. */
@AnalyzeClasses(packages = "io.steward.server", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule theServerNeverUsesJavaFx =
            noClasses().should().dependOnClassesThat().resideInAPackage("javafx..");

    /**
     * Services may let a repository's {@code SQLException} pass through inside a transaction
     * (the database layer translates it); they never touch connections, statements or rows.
     * Backups work on the database as a whole (a snapshot connection, COPY of every table,
     * scratch databases), so that package is database plumbing too; so is the cluster package,
     * which holds sessions of its own (the leader's advisory lock, the LISTEN connection).
     */
    @ArchTest
    static final ArchRule onlyRepositoriesAndTheDbPackageUseJdbc = noClasses()
            .that()
            .haveSimpleNameNotEndingWith("Repository")
            .and()
            .resideOutsideOfPackages(
                    "io.steward.server.db..", "io.steward.server.backup..", "io.steward.server.cluster..")
            .should()
            .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("java.sql..")
                    .and(DescribedPredicate.not(JavaClass.Predicates.equivalentTo(SQLException.class))));

    @ArchTest
    static final ArchRule routesNeverCallRepositories = noClasses()
            .that()
            .haveSimpleNameEndingWith("Routes")
            .should()
            .dependOnClassesThat()
            .haveSimpleNameEndingWith("Repository");

    @ArchTest
    static final ArchRule servicesKnowNothingOfHelidon = noClasses()
            .that()
            .haveSimpleNameEndingWith("Service")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.helidon..");

    /** Each package can be understood, and changed, knowing only those it depends on. */
    @ArchTest
    static final ArchRule packagesAreFreeOfCycles =
            com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                    .matching("io.steward.server.(*)..")
                    .should()
                    .beFreeOfCycles();

    @ArchTest
    static final ArchRule theApiRecordsStandAlone = classes()
            .that()
            .resideInAPackage("io.steward.server.api..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(
                    "io.steward.server.api..",
                    "java.lang..",
                    "java.time..",
                    "java.net..",
                    "java.nio.charset..",
                    "java.util..",
                    "com.fasterxml.jackson.annotation..",
                    "org.jspecify..");
}
