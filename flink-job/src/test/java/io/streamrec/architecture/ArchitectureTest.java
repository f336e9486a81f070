package io.streamrec.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Imports run one way: apps (job, offline, the configuration mapping) → stages (ingest, history state, serving,
 * joiner, learner, policy, eval, emit) → core (model, weights topic, catalog, operator helpers) → schemas. The
 * MovieLens readers, the event log and the simulator ({@code movielens}) are a source library only apps use.
 */
@AnalyzeClasses(packages = "io.streamrec", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] STAGES = {
        "io.streamrec.ingest..",
        "io.streamrec.state..",
        "io.streamrec.serving..",
        "io.streamrec.joiner..",
        "io.streamrec.learner..",
        "io.streamrec.policy..",
        "io.streamrec.eval..",
        "io.streamrec.emit.."
    };
    private static final String[] CORE = {
        "io.streamrec.model..", "io.streamrec.weights..", "io.streamrec.catalog..", "io.streamrec.operators.."
    };

    @ArchTest
    static final ArchRule layers = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Apps")
            .definedBy("io.streamrec.job..", "io.streamrec.offline..", "io.streamrec.config..")
            .layer("Stages")
            .definedBy(STAGES)
            .layer("Core")
            .definedBy(CORE)
            .layer("Sources")
            .definedBy("io.streamrec.movielens..")
            .layer("Schemas")
            .definedBy("io.streamrec.schema..")
            .whereLayer("Apps")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Stages")
            .mayOnlyBeAccessedByLayers("Apps")
            .whereLayer("Core")
            .mayOnlyBeAccessedByLayers("Apps", "Stages")
            .whereLayer("Sources")
            .mayOnlyBeAccessedByLayers("Apps")
            .whereLayer("Schemas")
            .mayOnlyBeAccessedByLayers("Apps", "Stages", "Core", "Sources");

    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("io.streamrec.(*)..").should().beFreeOfCycles();

    /** Serving and learning meet only in the core (the model and the weights topic), never directly. */
    @ArchTest
    static final ArchRule servingAndLearningApart = noClasses()
            .that()
            .resideInAPackage("io.streamrec.serving..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.streamrec.learner..", "io.streamrec.joiner..", "io.streamrec.policy..", "io.streamrec.eval..");

    @ArchTest
    static final ArchRule learnerApartFromServing = noClasses()
            .that()
            .resideInAnyPackage("io.streamrec.learner..", "io.streamrec.joiner..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.streamrec.serving..", "io.streamrec.policy..", "io.streamrec.eval..", "io.streamrec.state..");

    /** The model floor knows nothing of Flink or Kafka: the same classes serve, train and run offline. */
    @ArchTest
    static final ArchRule modelWithoutFlink = noClasses()
            .that()
            .resideInAnyPackage("io.streamrec.model..", "io.streamrec.catalog..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..");
}
