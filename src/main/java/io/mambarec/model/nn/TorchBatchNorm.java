package io.mambarec.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.mambarec.model.NoGrad;

/**
 * torch.nn.BatchNorm2d / BatchNorm1d over channel axis 1 with PyTorch's defaults: weight 1, bias
 * 0, eps 1e-5, running mean 0 and variance 1. Training normalises with the batch statistics and
 * updates running = 0.9 * running + 0.1 * batch (PyTorch's momentum 0.1, unbiased variance, done
 * in place by the engine's batch_norm); evaluation uses the running statistics.
 */
public final class TorchBatchNorm {

    /** PyTorch's momentum 0.1; DJL names the same update 0.9 and hands torch 1 - 0.9. */
    private static final float DJL_MOMENTUM = 0.9f;

    private static final float EPS = 1e-5f;

    private final NDArray weight;
    private final NDArray bias;
    private final NDArray runningMean;
    private final NDArray runningVar;
    /** Channel range [from, to) of the arrays this BatchNorm normalises (all of them unless a slice). */
    private final String channels;

    public TorchBatchNorm(ParameterSet params, String name, int channels) {
        Shape shape = new Shape(channels);
        this.weight = params.constant(name + ".weight", shape, 1f);
        this.bias = params.constant(name + ".bias", shape, 0f);
        this.runningMean = params.buffer(name + ".running_mean", shape, 0f);
        this.runningVar = params.buffer(name + ".running_var", shape, 1f);
        this.channels = null;
    }

    private TorchBatchNorm(TorchBatchNorm whole, int from, int to) {
        this.weight = whole.weight;
        this.bias = whole.bias;
        this.channels = from + ":" + to;
        this.runningMean = whole.runningMean;
        this.runningVar = whole.runningVar;
    }

    /**
     * The BatchNorm of channels [from, to) alone, sharing this one's parameters and statistics:
     * several BatchNorms side by side are one BatchNorm over their concatenated channels (each
     * channel is normalised on its own), and a slice of it is each of them.
     */
    public TorchBatchNorm slice(int from, int to) {
        return new TorchBatchNorm(this, from, to);
    }

    /**
     * Normalises {@code x} (N x C or N x C x H x W). In training mode the running statistics are
     * updated {@code mode.statisticUpdates()} times with the same batch statistics: the authors'
     * code runs some modules twice per step on identical inputs (see {@link Mode}). k updates with
     * the same batch statistic s are running = 0.9^k running + (1 - 0.9^k) s, so they are made in
     * one call with PyTorch's momentum 1 - 0.9^k (DJL's 0.9^k) instead of k normalisations.
     */
    public NDArray forward(NDArray x, Mode mode) {
        float momentum = mode.training() ? (float) Math.pow(DJL_MOMENTUM, mode.statisticUpdates()) : DJL_MOMENTUM;
        if (channels == null) {
            return ai.djl.nn.norm.BatchNorm.batchNorm(
                            x, runningMean, runningVar, weight, bias, -1, momentum, EPS, mode.training())
                    .singletonOrThrow();
        }
        // views made per call (a loaded state replaces the arrays' storage): the engine's in-place
        // running-statistics update on a view reaches the whole arrays
        return ai.djl.nn.norm.BatchNorm.batchNorm(
                        x,
                        runningMean.get(channels),
                        runningVar.get(channels),
                        weight.get(channels),
                        bias.get(channels),
                        -1,
                        momentum,
                        EPS,
                        mode.training())
                .singletonOrThrow();
    }

    /**
     * BatchNorm(x W^T + b) for x (N x in), W (C x in), b (C), computed without normalising the
     * N x C product. The product is linear in x, so its batch statistics come from x's: mean
     * x_bar W^T + b and variance w_c^T S w_c per channel, with S the in x in covariance of x; the
     * normalised product is then one linear map of the centred x, (x - x_bar) (W diag(g / sigma))^T
     * + beta, and in evaluation x (W diag(g / sigma_running))^T + (b - mu_running) g / sigma_running
     * + beta. The same function, with the same gradients, as {@code forward(linear(x, W, b))}; where
     * C is several times in, the N x C normalisation and its backward pass are what it saves.
     * The running statistics are updated as {@link #forward} does (unbiased variance).
     */
    public NDArray ofLinear(NDArray x, NDArray w, NDArray b, Mode mode) {
        if (channels != null) {
            throw new IllegalStateException("a slice normalises its channels only through forward");
        }
        if (!mode.training()) {
            NDArray scale = weight.div(Scalars.plus(runningVar, EPS).sqrt());
            NDArray shift = b.sub(runningMean).mul(scale).add(bias);
            return ai.djl.nn.core.Linear.linear(x, w.mul(scale.expandDims(1)), shift)
                    .singletonOrThrow();
        }
        long n = x.getShape().get(0);
        if (n < 2) {
            throw new IllegalArgumentException("BatchNorm needs more than one row per channel in training");
        }
        NDArray xMean = x.mean(new int[] {0}, true); // 1 x in
        NDArray centred = x.sub(xMean);
        NDArray covariance = Scalars.dividedBy(centred.transpose().matMul(centred), n); // in x in
        NDArray variance = w.matMul(covariance).mul(w).sum(new int[] {1}); // C, biased as in normalising
        NDArray scale = weight.div(Scalars.plus(variance, EPS).sqrt());
        updateRunningStatistics(xMean, w, b, variance, n, mode);
        // u - mean(u) = (x - x_bar) W^T + (b - b): b cancels, so its gradient is exactly zero (the
        // direct form's is float noise); written out so that b keeps a gradient, as every parameter
        NDArray shift = bias.add(b.sub(b));
        return ai.djl.nn.core.Linear.linear(centred, w.mul(scale.expandDims(1)), shift)
                .singletonOrThrow();
    }

    /**
     * running = (1 - m) running + m batch with PyTorch's m = 1 - 0.9^updates, for the batch mean
     * x_bar W^T + b and the unbiased variance.
     */
    private void updateRunningStatistics(
            NDArray xMean, NDArray w, NDArray b, NDArray biasedVariance, long n, Mode mode) {
        float keep = (float) Math.pow(DJL_MOMENTUM, mode.statisticUpdates());
        try (NoGrad noGrad = NoGrad.open()) {
            NDArray batchMean = xMean.matMul(w.transpose()).reshape(-1).add(b);
            runningMean.muli(keep).addi(batchMean.mul(1 - keep));
            runningVar.muli(keep).addi(biasedVariance.mul((1 - keep) * n / (double) (n - 1)));
        }
    }

    public NDArray runningMean() {
        return runningMean;
    }

    public NDArray runningVar() {
        return runningVar;
    }
}
