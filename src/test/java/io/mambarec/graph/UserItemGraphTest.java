package io.mambarec.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.Interactions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserItemGraphTest {

    /** u0: i0 (twice), i1; u1: i1; item 2 has no training interaction. */
    private static Dataset toy() {
        Interactions train = new Interactions(new int[] {0, 0, 0, 1}, new int[] {0, 0, 1, 1});
        return new Dataset(
                "toy",
                List.of("a", "b"),
                List.of("x", "y", "z"),
                train,
                Interactions.empty(),
                Interactions.empty(),
                Map.of());
    }

    @Test
    void normalizedUserItemBlockByHand() {
        // degrees (pairs counted once): u0 2, u1 1, i0 1, i1 2, i2 0
        float[] r = UserItemGraph.normalizedUserItem(toy()).toDense();
        float s2 = (float) (1 / Math.sqrt(2));
        assertThat(r).containsExactly(new float[] {s2, 0.5f, 0, 0, s2, 0}, within(1e-6f));
    }

    @Test
    void normalizedAdjacencyIsSymmetricWithZeroRowForIsolatedNode() {
        SparseMatrix a = UserItemGraph.normalizedAdjacency(toy());
        assertThat(a.rows()).isEqualTo(5);
        float s2 = (float) (1 / Math.sqrt(2));
        // nodes: u0, u1, i0, i1, i2
        float[] expected = {0, 0, s2, 0.5f, 0, 0, 0, 0, s2, 0, s2, 0, 0, 0, 0, 0.5f, s2, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(a.toDense()).containsExactly(expected, within(1e-6f));
    }

    @Test
    void sparseProductInDjlMatchesTheDenseMatrix() {
        SparseMatrix a = UserItemGraph.normalizedAdjacency(toy());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(10f).reshape(5, 2);
            NDArray dense = manager.create(a.toDense()).reshape(5, 5);
            NDArray sparseA = a.toNDArray(manager);
            System.gc(); // the sparse tensor must own its memory (see SparseMatrix.toNDArray)
            float[] sparse = sparseA.matMul(x).toFloatArray();
            assertThat(sparse).containsExactly(dense.matMul(x).toFloatArray(), within(1e-5f));
        }
    }
}
