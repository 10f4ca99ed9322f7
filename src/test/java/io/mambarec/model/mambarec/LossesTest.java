package io.mambarec.model.mambarec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mambarec.runtime.DjlEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MMD, InfoNCE and BPR on cases with known answers. */
class LossesTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        DjlEnvironment.configureOffline();
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(5);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void mmdOfIdenticalSamplesIsZero() {
        NDArray x = manager.randomNormal(new Shape(50, 16));
        assertThat(new Mmd(1.0).loss(x, x.duplicate()).getFloat()).isCloseTo(0f, within(1e-5f));
        assertThat(new Mmd(1.0).loss(x, x.add(3).mul(-1)).getFloat()).isGreaterThan(0.01f);
    }

    @Test
    void gramMatrixMmdEqualsTheDirectFormula() {
        int b = 40;
        int d = 12;
        NDArray x = manager.randomNormal(new Shape(b, d));
        NDArray y = manager.randomNormal(new Shape(b, d)).add(0.7);
        double sigma = 1.5;
        float gram = new Mmd(sigma).loss(x, y).getFloat();
        // the authors' formula: rows normalised, the B x B x d difference tensor, exp(-|a-b|^2 / (2 sigma^2))
        double[][] xs = normalised(x.toFloatArray(), b, d);
        double[][] ys = normalised(y.toFloatArray(), b, d);
        double direct = meanKernel(xs, xs, sigma) + meanKernel(ys, ys, sigma) - 2 * meanKernel(xs, ys, sigma);
        assertThat((double) gram).isCloseTo(direct, within(1e-5));
        // and the kernel matrix itself, entry by entry, against the difference tensor built with the engine
        NDArray xn = InfoNce.normalizeRows(x);
        NDArray yn = InfoNce.normalizeRows(y);
        NDArray difference = xn.expandDims(1).sub(yn.expandDims(0)); // B x B x d, as the authors materialise it
        NDArray directKernel =
                difference.square().sum(new int[] {2}).div(-2 * sigma * sigma).exp();
        assertThat(new Mmd(sigma).kernel(xn, yn).toFloatArray())
                .containsExactly(directKernel.toFloatArray(), within(1e-5f));
    }

    private static double[][] normalised(float[] values, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            double norm = 0;
            for (int c = 0; c < cols; c++) {
                norm += values[r * cols + c] * values[r * cols + c];
            }
            for (int c = 0; c < cols; c++) {
                out[r][c] = values[r * cols + c] / Math.sqrt(norm);
            }
        }
        return out;
    }

    private static double meanKernel(double[][] a, double[][] b, double sigma) {
        double sum = 0;
        for (double[] p : a) {
            for (double[] q : b) {
                double distance = 0;
                for (int c = 0; c < p.length; c++) {
                    distance += (p[c] - q[c]) * (p[c] - q[c]);
                }
                sum += Math.exp(-distance / (2 * sigma * sigma));
            }
        }
        return sum / (a.length * b.length);
    }

    @Test
    void infoNceOnAKnownCase() {
        // orthogonal rows, each matched with itself: cos = 1 on the diagonal, 0 elsewhere;
        // view2 is a rescaled view1 (normalisation makes the scale irrelevant)
        NDArray a = manager.create(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new Shape(3, 3));
        NDArray b = a.mul(4);
        double tau = 0.2;
        double expected = -Math.log(Math.exp(1 / tau) / (Math.exp(1 / tau) + 2 * Math.exp(0)));
        assertThat((double) new InfoNce(tau).loss(a, b).getFloat()).isCloseTo(expected, within(1e-5));
        // a non-trivial pair: rows (1, 0) and (1, 1)/sqrt 2 against themselves
        NDArray c = manager.create(new float[] {1, 0, 1, 1}, new Shape(2, 2));
        double cross = 1 / Math.sqrt(2);
        double row = -Math.log(Math.exp(1 / tau) / (Math.exp(1 / tau) + Math.exp(cross / tau)));
        assertThat((double) new InfoNce(tau).loss(c, c).getFloat()).isCloseTo(row, within(1e-5));
    }

    @Test
    void infoNceAndMmdOnDistinctRowsEqualTheLossesOnTheRepeatedRows() {
        NDArray table1 = manager.randomNormal(new Shape(30, 8));
        NDArray table2 = manager.randomNormal(new Shape(30, 8)).add(0.3);
        NDArray batch = manager.create(new long[] {4, 7, 4, 29, 0, 7, 7, 12, 4, 3, 0, 29});
        DistinctRows distinct = DistinctRows.of(batch);
        assertThat(distinct.indices().toLongArray()).containsExactly(0, 3, 4, 7, 12, 29);
        assertThat(distinct.counts().toFloatArray()).containsExactly(2, 1, 3, 3, 1, 2);
        InfoNce nce = new InfoNce(0.2);
        Mmd mmd = new Mmd(1.5);
        float[][] repeated = lossAndGradients(table1, table2, (a, b) -> nce.loss(a.get(batch), b.get(batch)));
        float[][] fromDistinct = lossAndGradients(
                table1, table2, (a, b) -> nce.loss(a.get(distinct.indices()), b.get(distinct.indices()), distinct));
        assertEqual(fromDistinct, repeated);
        repeated = lossAndGradients(table1, table2, (a, b) -> mmd.loss(a.get(batch), b.get(batch)));
        fromDistinct = lossAndGradients(
                table1, table2, (a, b) -> mmd.loss(a.get(distinct.indices()), b.get(distinct.indices()), distinct));
        assertEqual(fromDistinct, repeated);
    }

    /** The loss and the gradients of both tables. */
    private static float[][] lossAndGradients(
            NDArray table1, NDArray table2, java.util.function.BinaryOperator<NDArray> loss) {
        NDArray a = table1.duplicate();
        NDArray b = table2.duplicate();
        a.setRequiresGradient(true);
        b.setRequiresGradient(true);
        try (ai.djl.training.GradientCollector collector =
                ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray value = loss.apply(a, b);
            collector.backward(value);
            return new float[][] {
                {value.getFloat()},
                a.getGradient().toFloatArray(),
                b.getGradient().toFloatArray()
            };
        }
    }

    private static void assertEqual(float[][] actual, float[][] expected) {
        assertThat(expected[0][0]).isNotZero();
        for (int k = 0; k < expected.length; k++) {
            assertThat(actual[k]).containsExactly(expected[k], within(1e-6f));
        }
        float[] gradient = expected[1];
        assertThat(java.util.stream.IntStream.range(0, gradient.length).anyMatch(i -> gradient[i] != 0))
                .isTrue();
    }

    @Test
    void bprWithTheAuthorsRegulariser() {
        NDArray u = manager.create(new float[] {1, 2}, new Shape(1, 2));
        NDArray i = manager.create(new float[] {0.5f, 0.5f}, new Shape(1, 2));
        NDArray j = manager.create(new float[] {1, -1}, new Shape(1, 2));
        // x = u.i - u.j = 1.5 - (-1) = 2.5; squared norms 5 + 0.5 + 2 = 7.5; B = 4 (configured batch size)
        double expected = -Math.log(1 / (1 + Math.exp(-2.5))) + 0.1 * 7.5 / 2 / 4;
        assertThat((double) new BprLoss(0.1, 4).loss(u, i, j).getFloat()).isCloseTo(expected, within(1e-6));
    }
}
