package io.mambarec.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** torch.nn.LayerNorm(d) over the last axis: weight 1, bias 0, eps 1e-5 (PyTorch's defaults). */
public final class TorchLayerNorm {

    private static final float EPS = 1e-5f;

    private final NDArray weight;
    private final NDArray bias;
    private final Shape normalizedShape;

    public TorchLayerNorm(ParameterSet params, String name, int dim) {
        this.normalizedShape = new Shape(dim);
        this.weight = params.constant(name + ".weight", normalizedShape, 1f);
        this.bias = params.constant(name + ".bias", normalizedShape, 0f);
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, normalizedShape, weight, bias, EPS)
                .singletonOrThrow();
    }
}
