package io.steward.console.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The console reaches the server only over HTTP, view models hold no UI nodes, screens never
 * reach into the window journey, and its packages depend on each other without cycles.
 */
@AnalyzeClasses(packages = "io.steward.console", importOptions = ImportOption.DoNotIncludeTests.class)
class ConsoleArchitectureTest {

    @ArchTest
    static final ArchRule onlyTheApiRecordsOfTheServerAreUsed = noClasses()
            .that()
            .doNotHaveFullyQualifiedName("io.steward.console.startup.BundledServer")
            .should()
            .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.steward.server..")
                    .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("io.steward.server.api.."))))
            .as("console classes use nothing of the server but io.steward.server.api");

    /** Starting the server on this computer is the one thing beyond the API records (ADR 0006). */
    @ArchTest
    static final ArchRule theBundledServerOnlyStartsAndStopsAServer = noClasses()
            .that()
            .haveFullyQualifiedName("io.steward.console.startup.BundledServer")
            .should()
            .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.steward.server..")
                    .and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(
                            "io.steward.server.api..", "io.steward.server.embed.."))))
            .as("the bundled server uses only io.steward.server.embed to run a server in-process");

    /** Screens use the session, the shared controls and the client; the window journey is not theirs to touch. */
    @ArchTest
    static final ArchRule screensNeverDependOnTheShell = noClasses()
            .that()
            .resideInAnyPackage(
                    "io.steward.console.alerts..",
                    "io.steward.console.audit..",
                    "io.steward.console.backups..",
                    "io.steward.console.dashboard..",
                    "io.steward.console.flags..",
                    "io.steward.console.gdpr..",
                    "io.steward.console.metrics..",
                    "io.steward.console.reports..",
                    "io.steward.console.users..",
                    "io.steward.console.session..",
                    "io.steward.console.ui..",
                    "io.steward.console.client..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.steward.console.shell..");

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles =
            com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                    .matching("io.steward.console.(*)..")
                    .should()
                    .beFreeOfCycles();

    @ArchTest
    static final ArchRule viewModelsHoldNoNodesOrStages = noClasses()
            .that()
            .haveSimpleNameEndingWith("ViewModel")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javafx.scene..", "javafx.stage..");

    @ArchTest
    static final ArchRule onlyTheClientTalksHttp = noClasses()
            .that()
            .resideOutsideOfPackage("io.steward.console.client..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("okhttp3..", "java.net.http..");
}
