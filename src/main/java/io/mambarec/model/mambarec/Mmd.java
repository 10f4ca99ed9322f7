package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.mambarec.model.nn.Scalars;

/**
 * Maximum Mean Discrepancy with a Gaussian kernel between two samples of modality features
 * (MambaRec's global distribution alignment): rows are L2-normalised, k(a, b) = exp(-|a - b|^2 /
 * (2 sigma^2)), MMD = mean k(x, x) + mean k(y, y) - 2 mean k(x, y) over all pairs, diagonal
 * included.
 *
 * <p>The authors' code materialises the B x B x d difference tensor for each of the three kernel
 * matrices. Here the kernel comes from the Gram matrix G = a b^T (B x B):
 * k(a_i, b_j) = exp(-|a_i|^2 / 2 sigma^2) * exp(-|b_j|^2 / 2 sigma^2) * exp(G_ij / sigma^2), exactly
 * the same function, and mean_ij k = (1/B^2) u^T exp(G / sigma^2) v with u_i = exp(-|a_i|^2 / 2
 * sigma^2), v_j = exp(-|b_j|^2 / 2 sigma^2): three passes over a B x B matrix instead of a
 * B x B x d tensor. No overflow: |G_ij| <= 1 for normalised rows.
 */
public final class Mmd {

    private final double bandwidth;

    public Mmd(double bandwidth) {
        if (!(bandwidth > 0)) {
            throw new IllegalArgumentException("MMD bandwidth must be positive, not " + bandwidth);
        }
        this.bandwidth = bandwidth;
    }

    public NDArray loss(NDArray x, NDArray y) {
        NDArray xn = InfoNce.normalizeRows(x);
        NDArray yn = InfoNce.normalizeRows(y);
        return meanKernel(xn, xn).add(meanKernel(yn, yn)).sub(Scalars.times(meanKernel(xn, yn), 2));
    }

    /**
     * The same MMD over a batch whose rows repeat: {@code x} and {@code y} hold the features of
     * each distinct row once (D x d) and {@code rows} how often it occurs (see {@link DistinctRows}).
     */
    public NDArray loss(NDArray x, NDArray y, DistinctRows rows) {
        NDArray xn = InfoNce.normalizeRows(x);
        NDArray yn = InfoNce.normalizeRows(y);
        return meanKernel(xn, xn, rows).add(meanKernel(yn, yn, rows)).sub(Scalars.times(meanKernel(xn, yn, rows), 2));
    }

    /**
     * mean over all B^2 pairs of batch rows of k(a_i, b_j), from the distinct rows: sum_pq c_p c_q
     * k(a_p, b_q) / B^2 with c_p c_q k(a_p, b_q) = exp(a_p . b_q / sigma^2 + (log c_p - |a_p|^2 / 2
     * sigma^2) + (log c_q - |b_q|^2 / 2 sigma^2)), one product of [a / sigma^2, s_a, 1] and
     * [b, 1, s_b]: the row factors ride in two extra columns, so the backward pass needs no outer
     * product of them.
     */
    NDArray meanKernel(NDArray a, NDArray b, DistinctRows rows) {
        NDArray ones = a.getManager().ones(new Shape(rows.size(), 1));
        NDArray left = NDArrays.concat(
                new NDList(
                        Scalars.times(a, (float) (1 / (bandwidth * bandwidth))),
                        logNormFactor(a).add(rows.logCounts()),
                        ones),
                1);
        NDArray right = NDArrays.concat(new NDList(b, ones, logNormFactor(b).add(rows.logCounts())), 1);
        NDArray sum = left.matMul(right.transpose()).exp().sum();
        return Scalars.dividedBy(sum, (float) rows.batchSize() * rows.batchSize());
    }

    /** -|a_i|^2 / (2 sigma^2) per row, B x 1. */
    private NDArray logNormFactor(NDArray a) {
        return Scalars.times(a.square().sum(new int[] {1}, true), (float) (-1 / (2 * bandwidth * bandwidth)));
    }

    /** mean over all pairs (i, j) of k(a_i, b_j). */
    NDArray meanKernel(NDArray a, NDArray b) {
        NDArray u = normFactor(a); // B_a x 1
        NDArray v = normFactor(b); // B_b x 1
        NDArray gram = scaledGram(a, b).exp(); // B_a x B_b
        NDArray sum = u.transpose().matMul(gram.matMul(v)); // 1 x 1
        return Scalars.dividedBy(
                sum.reshape(), (float) a.getShape().get(0) * b.getShape().get(0));
    }

    /** The B x B kernel matrix itself (for tests): exp(-|a_i - b_j|^2 / (2 sigma^2)) from the Gram matrix. */
    NDArray kernel(NDArray a, NDArray b) {
        NDArray gram = scaledGram(a, b).exp();
        return gram.mul(normFactor(a)).mul(normFactor(b).transpose());
    }

    /** a b^T / sigma^2, the scale applied to the B x d side rather than to the B x B product. */
    private NDArray scaledGram(NDArray a, NDArray b) {
        return Scalars.times(a, (float) (1 / (bandwidth * bandwidth))).matMul(b.transpose());
    }

    /** exp(-|a_i|^2 / (2 sigma^2)) per row, B x 1. */
    private NDArray normFactor(NDArray a) {
        return logNormFactor(a).exp();
    }
}
