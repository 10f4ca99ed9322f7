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
     * code runs some modules twice per step on identical inputs (see {@link Mode}).
     */
    public NDArray forward(NDArray x, Mode mode) {
        NDArray y = batchNorm(x, mode.training());
        for (int extra = 1; mode.training() && extra < mode.statisticUpdates(); extra++) {
            try (NDArray repeat = batchNormWithoutGradient(x)) {
                // output discarded: identical to y; only the running-statistics update is wanted
            }
        }
        return y;
    }

    private NDArray batchNorm(NDArray x, boolean training) {
        if (channels == null) {
            return ai.djl.nn.norm.BatchNorm.batchNorm(
                            x, runningMean, runningVar, weight, bias, -1, DJL_MOMENTUM, EPS, training)
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
                        DJL_MOMENTUM,
                        EPS,
                        training)
                .singletonOrThrow();
    }

    private NDArray batchNormWithoutGradient(NDArray x) {
        try (NoGrad noGrad = NoGrad.open()) {
            return batchNorm(x, true);
        }
    }

    public NDArray runningMean() {
        return runningMean;
    }

    public NDArray runningVar() {
        return runningVar;
    }
}
