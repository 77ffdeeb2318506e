package io.steward.console.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The console reaches the server only over HTTP, and view models hold no UI nodes. */
@AnalyzeClasses(packages = "io.steward.console", importOptions = ImportOption.DoNotIncludeTests.class)
class ConsoleArchitectureTest {

    @ArchTest
    static final ArchRule onlyTheApiRecordsOfTheServerAreUsed = noClasses()
            .that()
            .doNotHaveFullyQualifiedName("io.steward.console.shell.BundledServer")
            .should()
            .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.steward.server..")
                    .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("io.steward.server.api.."))))
            .as("console classes use nothing of the server but io.steward.server.api");

    /** Starting the server on this computer is the one thing beyond the API records (ADR 0006). */
    @ArchTest
    static final ArchRule theBundledServerOnlyStartsAndStopsAServer = noClasses()
            .that()
            .haveFullyQualifiedName("io.steward.console.shell.BundledServer")
            .should()
            .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.steward.server..")
                    .and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(
                            "io.steward.server.api..", "io.steward.server.embed.."))))
            .as("the bundled server uses only io.steward.server.embed to run a server in-process");

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
