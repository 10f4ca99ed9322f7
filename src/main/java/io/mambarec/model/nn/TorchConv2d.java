package io.mambarec.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * torch.nn.Conv2d with a square kernel, stride 1, padding = dilation * (kernel - 1) / 2 ("same"
 * size), computed with DJL's conv2d op. Weight and bias uniform in (-1/sqrt(fan_in),
 * 1/sqrt(fan_in)) with fan_in = in * kernel * kernel, PyTorch's default.
 */
public final class TorchConv2d {

    private final NDArray weight;
    private final NDArray bias;
    private final int kernel;
    private final int dilation;

    public TorchConv2d(ParameterSet params, String name, int in, int out, int kernel, int dilation, boolean withBias) {
        if (kernel % 2 != 1) {
            throw new IllegalArgumentException("odd kernel sizes only, not " + kernel);
        }
        this.kernel = kernel;
        this.dilation = dilation;
        double bound = 1 / Math.sqrt((double) in * kernel * kernel);
        this.weight = params.uniform(name + ".weight", new Shape(out, in, kernel, kernel), bound);
        this.bias = withBias ? params.uniform(name + ".bias", new Shape(out), bound) : null;
    }

    /** The full convolution of x (N x in x H x W) to N x out x H x W. */
    public NDArray forward(NDArray x) {
        int pad = dilation * (kernel - 1) / 2;
        return ai.djl.nn.convolutional.Conv2d.conv2d(
                        x, weight, bias, new Shape(1, 1), new Shape(pad, pad), new Shape(dilation, dilation), 1)
                .singletonOrThrow();
    }

    /** The kernel's centre taps, out x in: all a 1 x 1 map ever meets. */
    public NDArray centre() {
        return kernel == 1
                ? weight.reshape(weight.getShape().get(0), weight.getShape().get(1))
                : weight.get(new NDIndex(":, :, " + kernel / 2 + ", " + kernel / 2));
    }

    /** The bias, or null. */
    public NDArray bias() {
        return bias;
    }

    public NDArray weight() {
        return weight;
    }
}
