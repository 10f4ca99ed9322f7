package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDArray;

/**
 * Maximum Mean Discrepancy with a Gaussian kernel between two samples of modality features
 * (MambaRec's global distribution alignment): rows are L2-normalised, k(a, b) = exp(-|a - b|^2 /
 * (2 sigma^2)), MMD = mean k(x, x) + mean k(y, y) - 2 mean k(x, y) over all pairs, diagonal
 * included.
 *
 * <p>The authors' code materialises the B x B x d difference tensor for each of the three kernel
 * matrices. Here |a - b|^2 = |a|^2 + |b|^2 - 2 a.b comes from Gram matrices (B x B): the same
 * quantity, clamped at zero against rounding, at a fraction of the memory and time.
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
        NDArray xx = kernel(xn, xn).mean();
        NDArray yy = kernel(yn, yn).mean();
        NDArray xy = kernel(xn, yn).mean();
        return xx.add(yy).sub(xy.mul(2f));
    }

    /** The B_a x B_b Gaussian kernel matrix from the Gram matrix a b^T. */
    NDArray kernel(NDArray a, NDArray b) {
        NDArray aSquared = a.square().sum(new int[] {1}, true);          // B_a x 1
        NDArray bSquared = b.square().sum(new int[] {1}, true).transpose(); // 1 x B_b
        NDArray squaredDistance = aSquared.add(bSquared).sub(a.matMul(b.transpose()).mul(2f)).maximum(0f);
        return squaredDistance.div((float) (-2 * bandwidth * bandwidth)).exp();
    }
}
