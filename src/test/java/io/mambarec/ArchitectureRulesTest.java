package io.mambarec;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import io.mambarec.model.Embeddings;
import io.mambarec.model.ServingImportFixture;
import io.mambarec.serving.ServingModel;
import org.junit.jupiter.api.Test;

/** The rules of {@link ArchitectureTest} fail on a wrong import, not only pass on the code as it is. */
class ArchitectureRulesTest {

    /** A model class using serving's ServingModel, which itself uses the model's Embeddings. */
    private static final JavaClasses MODEL_IMPORTING_SERVING =
            new ClassFileImporter().importClasses(ServingImportFixture.class, ServingModel.class, Embeddings.class);

    @Test
    void layeringRejectsModelImportingServing() {
        EvaluationResult result = ArchitectureTest.layers().evaluate(MODEL_IMPORTING_SERVING);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line ->
                        assertThat(line).contains("ServingImportFixture").contains("ServingModel"));
    }

    @Test
    void cycleCheckRejectsModelAndServingUsingEachOther() {
        EvaluationResult result = ArchitectureTest.noCycles().evaluate(MODEL_IMPORTING_SERVING);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("Cycle detected");
    }

    @Test
    void layeringAcceptsServingImportingModel() {
        JavaClasses servingOnModel = new ClassFileImporter().importClasses(ServingModel.class, Embeddings.class);

        assertThat(ArchitectureTest.layers().evaluate(servingOnModel).hasViolation())
                .isFalse();
    }
}
