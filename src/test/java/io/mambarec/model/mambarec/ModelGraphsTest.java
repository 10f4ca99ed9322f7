package io.mambarec.model.mambarec;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.FeatureMatrix;
import io.mambarec.graph.ItemKnnGraph;
import io.mambarec.graph.SparseMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A model's kNN graphs are built once per features and k (a search makes many models on one dataset). */
class ModelGraphsTest {

    @Test
    void eachKnnGraphIsBuiltOncePerFeaturesAndKAndIsTheGraphABuildGives() {
        Dataset data = PlantedDataset.create(5, 40, 4, 12, List.of("image", "text"), 8);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelGraphs first = ModelGraphs.build(data, 5, manager);
            ModelGraphs again = ModelGraphs.build(data, 5, manager);
            ModelGraphs otherK = ModelGraphs.build(data, 3, manager);
            for (String modality : List.of("image", "text")) {
                FeatureMatrix features = data.features().get(modality);
                SparseMatrix graph = first.itemItem().get(modality);
                assertThat(again.itemItem().get(modality)).isSameAs(graph);
                assertThat(graph.nonZeros()).isEqualTo(features.rows() * 5);
                assertThat(otherK.itemItem().get(modality).nonZeros()).isEqualTo(features.rows() * 3);
                assertSameGraph(graph, ItemKnnGraph.build(features, 5, manager));

                // equal values in other arrays (another dataset's): a graph of their own
                FeatureMatrix copy = new FeatureMatrix(
                        features.rows(), features.cols(), features.values().clone());
                SparseMatrix ofCopy = ModelGraphs.itemKnn(copy, 5, manager);
                assertThat(ofCopy).isNotSameAs(graph);
                assertSameGraph(ofCopy, graph);
            }
        }
    }

    private static void assertSameGraph(SparseMatrix actual, SparseMatrix expected) {
        assertThat(actual.rows()).isEqualTo(expected.rows());
        assertThat(actual.cols()).isEqualTo(expected.cols());
        assertThat(actual.rowIndex()).isEqualTo(expected.rowIndex());
        assertThat(actual.colIndex()).isEqualTo(expected.colIndex());
        assertThat(actual.values()).isEqualTo(expected.values());
    }
}
