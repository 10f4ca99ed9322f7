package io.mambarec.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.mambarec.graph.SparseMatrix;
import org.junit.jupiter.api.Test;

/** The PyTorch engine loads from the Maven Central jars, offline, with sparse products and autograd. */
class DjlEngineTest {

    @Test
    void pytorchEngineRunsSparseProductsWithGradients() {
        DjlEnvironment.configureOffline();
        assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
        try (NDManager manager = NDManager.newBaseManager()) {
            // A = [[0, 2], [3, 0]]; x = [[1], [1]]; sum(A x) = 5; d/dx sum(A x) = column sums of A = [3, 2]
            SparseMatrix a = new SparseMatrix(2, 2, new int[] {0, 1}, new int[] {1, 0}, new float[] {2f, 3f});
            NDArray x = manager.create(new float[] {1f, 1f}).reshape(2, 1);
            x.setRequiresGradient(true);
            try (NDScope scope = new NDScope();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = a.toNDArray(manager).matMul(x).sum();
                collector.backward(y);
                assertThat(y.getFloat()).isEqualTo(5f);
            }
            assertThat(x.getGradient().toFloatArray()).containsExactly(3f, 2f);
        }
    }
}
