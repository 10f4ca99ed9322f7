package io.mambarec.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.mambarec.graph.CsrMatrix;
import io.mambarec.graph.SparseMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PyTorch's CSR product gives the values and gradients of its COO product (the former path). */
class SparseDenseProductTest {

    private static final float TOLERANCE = 1e-6f;
    private static NDManager manager;
    private static SparseDenseProduct product;

    @BeforeAll
    static void load() {
        DjlEnvironment.configureOffline();
        manager = NDManager.newBaseManager();
        product = SparseDenseProduct.load(manager);
    }

    @AfterAll
    static void close() {
        product.close();
        manager.close();
    }

    /** A rows x cols matrix with distinct entries in random order, rows 0 and 3 empty, values in (-1, 1). */
    private static SparseMatrix randomMatrix(int rows, int cols, Random random) {
        List<int[]> entries = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (r != 0 && r != 3 && random.nextInt(5) == 0) {
                    entries.add(new int[] {r, c});
                }
            }
        }
        java.util.Collections.shuffle(entries, random);
        int[] rowIndex = new int[entries.size()];
        int[] colIndex = new int[entries.size()];
        float[] values = new float[entries.size()];
        for (int k = 0; k < entries.size(); k++) {
            rowIndex[k] = entries.get(k)[0];
            colIndex[k] = entries.get(k)[1];
            values[k] = 2 * random.nextFloat() - 1;
        }
        return new SparseMatrix(rows, cols, rowIndex, colIndex, values);
    }

    private static float[] randomFloats(int n, Random random) {
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = (float) random.nextGaussian();
        }
        return x;
    }

    /** A X and the gradient of sum(A X * W) in X (A^T W), by the CSR product or the COO one. */
    private static float[][] productAndGradient(SparseMatrix a, float[] x, float[] w, int d, boolean csr) {
        try (NDManager scope = manager.newSubManager();
                NDScope ndScope = new NDScope()) {
            NDArray dense = scope.create(x, new Shape(a.cols(), d));
            dense.setRequiresGradient(true);
            float[] y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray ax = csr
                        ? product.multiply(CsrMatrix.of(a).toNDArrays(scope), dense)
                        : a.toNDArray(scope).matMul(dense);
                y = ax.toFloatArray();
                collector.backward(
                        ax.mul(scope.create(w, new Shape(a.rows(), d))).sum());
            }
            return new float[][] {y, dense.getGradient().toFloatArray()};
        }
    }

    @Test
    void csrProductHasTheCooProductsValuesAndGradients() {
        Random random = new Random(7);
        for (int[] shape : new int[][] {{37, 23, 5}, {23, 37, 64}, {40, 40, 3}}) {
            SparseMatrix a = randomMatrix(shape[0], shape[1], random);
            float[] x = randomFloats(shape[1] * shape[2], random);
            float[] w = randomFloats(shape[0] * shape[2], random);
            float[][] csr = productAndGradient(a, x, w, shape[2], true);
            float[][] coo = productAndGradient(a, x, w, shape[2], false);
            assertThat(csr[0]).as("A X").containsExactly(coo[0], within(TOLERANCE));
            assertThat(csr[1]).as("A^T W").containsExactly(coo[1], within(TOLERANCE));
            // rows 0 and 3 of A are empty
            for (int k = 0; k < shape[2]; k++) {
                assertThat(csr[0][k]).isZero();
                assertThat(csr[0][3 * shape[2] + k]).isZero();
            }
        }
    }

    @Test
    void productOfSelectedRowsIsThoseRowsOfTheProduct() {
        Random random = new Random(11);
        SparseMatrix a = randomMatrix(30, 20, random);
        long[] rows = {29, 3, 4, 4, 0, 17};
        int d = 8;
        try (NDManager scope = manager.newSubManager();
                NDScope ndScope = new NDScope()) {
            NDArray x = scope.create(randomFloats(20 * d, random), new Shape(20, d));
            CsrMatrix csr = CsrMatrix.of(a);
            float[] all = product.multiply(csr.toNDArrays(scope), x).toFloatArray();
            float[] selected =
                    product.multiply(csr.selectRows(rows).toNDArrays(scope), x).toFloatArray();
            for (int r = 0; r < rows.length; r++) {
                for (int k = 0; k < d; k++) {
                    assertThat(selected[r * d + k]).isEqualTo(all[(int) rows[r] * d + k]);
                }
            }
        }
    }

    @Test
    void recordsNoGradientWhenAutogradIsOffAndGradientsAfterwards() {
        Random random = new Random(3);
        SparseMatrix a = randomMatrix(10, 12, random);
        try (NDManager scope = manager.newSubManager();
                NDScope ndScope = new NDScope()) {
            NDArray x = scope.create(randomFloats(12 * 4, random), new Shape(12, 4));
            x.setRequiresGradient(true);
            NDList csr = CsrMatrix.of(a).toNDArrays(scope);
            boolean previous = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                assertThat(JniUtils.requiresGrad((PtNDArray) product.multiply(csr, x)))
                        .isFalse();
            } finally {
                JniUtils.setGradMode(previous);
            }
            // a training call after one without gradients (evaluation between epochs) still has them
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(product.multiply(csr, x).sum());
            }
            // d/dx sum(A x) = column sums of A
            float[] columnSums = new float[12 * 4];
            for (int k = 0; k < a.nonZeros(); k++) {
                for (int j = 0; j < 4; j++) {
                    columnSums[a.colIndex()[k] * 4 + j] += a.values()[k];
                }
            }
            assertThat(x.getGradient().toFloatArray()).containsExactly(columnSums, within(TOLERANCE));
        }
    }
}
