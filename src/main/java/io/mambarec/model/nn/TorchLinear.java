package io.mambarec.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A fully connected layer y = x W^T + b (torch.nn.Linear), computed with DJL's linear op. Weight
 * and bias are uniform in (-1/sqrt(in), 1/sqrt(in)), PyTorch's default. DJL's Linear block is not
 * used because its default initialiser (Xavier weights, zero bias) is not PyTorch's and its
 * parameter life cycle (Block.initialize, ParameterStore) does not fit the model's named arrays.
 */
public final class TorchLinear {

    private final NDArray weight;
    private final NDArray bias;

    public TorchLinear(ParameterSet params, String name, int in, int out, boolean withBias) {
        double bound = 1 / Math.sqrt(in);
        this.weight = params.uniform(name + ".weight", new Shape(out, in), bound);
        this.bias = withBias ? params.uniform(name + ".bias", new Shape(out), bound) : null;
    }

    public TorchLinear(ParameterSet params, String name, int in, int out) {
        this(params, name, in, out, true);
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
    }

    public NDArray weight() {
        return weight;
    }
}
