package io.mambarec.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.FeatureMatrix;
import io.mambarec.runtime.DjlEnvironment;
import org.junit.jupiter.api.Test;

class ItemKnnGraphTest {

    /** Four items in 2-d: cosine similarities computed by hand. */
    private static final FeatureMatrix FEATURES = new FeatureMatrix(4, 2, new float[] {
        1, 0, // item 0
        2, 2, // item 1: 45 degrees (norm irrelevant)
        0, 3, // item 2: 90 degrees
        -1, 0.5f, // item 3: obtuse to item 0
    });

    @Test
    void keepsTheTopKIncludingSelfWithRowSumNormalisation() {
        DjlEnvironment.configureOffline();
        SparseMatrix graph;
        try (NDManager manager = NDManager.newBaseManager()) {
            graph = ItemKnnGraph.build(FEATURES, 2, manager);
        }
        double c01 = 1 / Math.sqrt(2);
        double c12 = 1 / Math.sqrt(2);
        double c23 = 0.5 / Math.sqrt(1.25);
        // top 2 per row (self first): 0 -> {0, 1}, 1 -> {1, 0 or 2 (tie: both 1/sqrt2)}, 2 -> {2, 1}, 3 -> {3, 2}
        double[] degree = {1 + c01, 1 + c12, 1 + c12, 1 + c23};
        float[] dense = graph.toDense();
        assertThat(graph.nonZeros()).isEqualTo(8);
        assertThat(dense[0 * 4 + 0]).isCloseTo((float) (1 / degree[0]), within(1e-6f));
        assertThat(dense[0 * 4 + 1]).isCloseTo((float) (c01 / Math.sqrt(degree[0] * degree[1])), within(1e-6f));
        assertThat(dense[2 * 4 + 1]).isCloseTo((float) (c12 / Math.sqrt(degree[2] * degree[1])), within(1e-6f));
        assertThat(dense[3 * 4 + 3]).isCloseTo((float) (1 / degree[3]), within(1e-6f));
        assertThat(dense[3 * 4 + 2]).isCloseTo((float) (c23 / Math.sqrt(degree[3] * degree[2])), within(1e-6f));
        // row 3 keeps item 2, row 2 does not keep item 3: the graph is not symmetric
        assertThat(dense[2 * 4 + 3]).isZero();
        assertThat(dense[0 * 4 + 3]).isZero();
    }

    @Test
    void normalisesWithRowDegreesOnBothSides() {
        // a kept-weight matrix whose row sums differ from its column sums
        SparseMatrix kept = new SparseMatrix(2, 2, new int[] {0, 0, 1}, new int[] {0, 1, 1}, new float[] {1, 3, 4});
        float[] dense = ItemKnnGraph.normalise(kept).toDense();
        // deg = row sums = (4, 4); the column sums would be (1, 7)
        assertThat(dense).containsExactly(new float[] {0.25f, 0.75f, 0f, 1f}, within(1e-6f));
    }

    @Test
    void kBeyondTheItemCountKeepsEveryItem() {
        DjlEnvironment.configureOffline();
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThat(ItemKnnGraph.build(FEATURES, 10, manager).nonZeros()).isEqualTo(16);
            assertThatThrownBy(() -> ItemKnnGraph.build(FEATURES, 0, manager))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
