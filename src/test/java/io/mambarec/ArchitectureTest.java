package io.mambarec;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

/**
 * The packages depend on each other one way (docs/design.md, "Packages and dependencies"):
 * {@code api -> (jobs, registry) -> serving -> model -> graph -> data}, {@code training} and
 * {@code evaluation} beside {@code model}, {@code storage} below everything that keeps state. Each
 * layer lists who may use it; a class outside every layer, an import against the arrows or a cycle
 * between packages fails the build.
 */
@AnalyzeClasses(packages = "io.mambarec", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] ENTRY_POINTS = {"application", "api", "cli"};

    @ArchTest
    static final ArchRule LAYERS = layers();

    /** No two top-level packages use each other, directly or through others. */
    @ArchTest
    static final ArchRule NO_CYCLES = noCycles();

    /** Nor do any two packages at any depth: the model's contracts know none of its families. */
    @ArchTest
    static final ArchRule NO_CYCLES_BETWEEN_SUBPACKAGES =
            slices().matching("io.mambarec.(**)").should().beFreeOfCycles();

    /** The model families share only the model's contracts and {@code model.nn}. */
    @ArchTest
    static final ArchRule BASELINES_INDEPENDENT_OF_MAMBAREC = noClasses()
            .that()
            .resideInAPackage("io.mambarec.model.baseline..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.mambarec.model.mambarec..", "io.mambarec.model.mgcn..");

    @ArchTest
    static final ArchRule MAMBAREC_INDEPENDENT_OF_BASELINES = noClasses()
            .that()
            .resideInAPackage("io.mambarec.model.mambarec..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.mambarec.model.baseline..", "io.mambarec.model.mgcn..");

    @ArchTest
    static final ArchRule LAYERS_INDEPENDENT_OF_FAMILIES = noClasses()
            .that()
            .resideInAPackage("io.mambarec.model.nn..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.mambarec.model.baseline..", "io.mambarec.model.mambarec..", "io.mambarec.model.mgcn..");

    /** PyTorch's native calls (grad mode, sparse tensors, profiler) stay in the engine-facing packages. */
    @ArchTest
    static final ArchRule PYTORCH_JNI_ONLY_IN_ENGINE_LAYER = noClasses()
            .that()
            .resideOutsideOfPackages("io.mambarec.model..", "io.mambarec.graph..", "io.mambarec.runtime..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("ai.djl.pytorch.jni..");

    static LayeredArchitecture layers() {
        return layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture()
                .layer("application")
                .definedBy("io.mambarec")
                .layer("api")
                .definedBy("io.mambarec.api..")
                .layer("cli")
                .definedBy("io.mambarec.cli..")
                .layer("tuning")
                .definedBy("io.mambarec.tuning..")
                .layer("jobs")
                .definedBy("io.mambarec.jobs..")
                .layer("registry")
                .definedBy("io.mambarec.registry..")
                .layer("serving")
                .definedBy("io.mambarec.serving..")
                .layer("training")
                .definedBy("io.mambarec.training..")
                .layer("evaluation")
                .definedBy("io.mambarec.evaluation..")
                .layer("model")
                .definedBy("io.mambarec.model..")
                .layer("graph")
                .definedBy("io.mambarec.graph..")
                .layer("storage")
                .definedBy("io.mambarec.storage..")
                .layer("data")
                .definedBy("io.mambarec.data..")
                .layer("events")
                .definedBy("io.mambarec.events..")
                .layer("metrics")
                .definedBy("io.mambarec.metrics..")
                .layer("role")
                .definedBy("io.mambarec.role..")
                .layer("runtime")
                .definedBy("io.mambarec.runtime..")
                .layer("text")
                .definedBy("io.mambarec.text..")
                .layer("random")
                .definedBy("io.mambarec.random..")
                .layer("config")
                .definedBy("io.mambarec.config..")
                .withOptionalLayers(true)
                .whereLayer("application")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("api")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("cli")
                .mayOnlyBeAccessedByLayers("application")
                .whereLayer("tuning")
                .mayOnlyBeAccessedByLayers(with(ENTRY_POINTS, "jobs"))
                .whereLayer("jobs")
                .mayOnlyBeAccessedByLayers(ENTRY_POINTS)
                .whereLayer("registry")
                .mayOnlyBeAccessedByLayers(with(ENTRY_POINTS, "jobs"))
                .whereLayer("serving")
                .mayOnlyBeAccessedByLayers(with(ENTRY_POINTS, "jobs", "registry"))
                .whereLayer("training")
                .mayOnlyBeAccessedByLayers(with(ENTRY_POINTS, "tuning", "jobs"))
                .whereLayer("evaluation")
                .mayOnlyBeAccessedByLayers(with(ENTRY_POINTS, "tuning", "jobs", "registry", "training"))
                .whereLayer("model")
                .mayOnlyBeAccessedByLayers(
                        with(ENTRY_POINTS, "tuning", "jobs", "registry", "serving", "training", "evaluation"))
                .whereLayer("graph")
                .mayOnlyBeAccessedByLayers(
                        with(ENTRY_POINTS, "tuning", "jobs", "registry", "serving", "training", "evaluation", "model"))
                .whereLayer("storage")
                .mayOnlyBeAccessedByLayers(with(ENTRY_POINTS, "tuning", "jobs", "registry", "serving"))
                .whereLayer("data")
                .mayOnlyBeAccessedByLayers(with(
                        ENTRY_POINTS,
                        "tuning",
                        "jobs",
                        "registry",
                        "serving",
                        "training",
                        "evaluation",
                        "model",
                        "graph",
                        "storage"))
                .whereLayer("events")
                .mayOnlyBeAccessedByLayers(with(ENTRY_POINTS, "jobs", "registry", "serving", "storage"))
                .whereLayer("metrics")
                .mayOnlyBeAccessedByLayers(with(ENTRY_POINTS, "jobs", "registry", "serving"))
                .whereLayer("role")
                .mayOnlyBeAccessedByLayers(with(ENTRY_POINTS, "jobs", "registry", "serving", "config"))
                .whereLayer("text")
                .mayOnlyBeAccessedByLayers(with(ENTRY_POINTS, "jobs", "serving"))
                .whereLayer("random")
                .mayOnlyBeAccessedByLayers(with(ENTRY_POINTS, "tuning", "jobs", "training", "model"))
                .whereLayer("runtime")
                .mayOnlyBeAccessedByLayers(
                        with(ENTRY_POINTS, "tuning", "jobs", "registry", "serving", "training", "evaluation", "model"))
                // the validated settings (mambarec.*), read by whatever is configured
                .whereLayer("config")
                .mayOnlyBeAccessedByLayers(with(
                        ENTRY_POINTS, "tuning", "jobs", "registry", "serving", "storage", "events", "text", "runtime"));
    }

    static ArchRule noCycles() {
        return slices().matching("io.mambarec.(*)..").should().beFreeOfCycles();
    }

    private static String[] with(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
