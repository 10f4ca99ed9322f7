package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.mambarec.model.nn.Mode;
import io.mambarec.model.nn.ParameterSet;
import io.mambarec.model.nn.Scalars;
import io.mambarec.model.nn.TorchBatchNorm;
import io.mambarec.model.nn.TorchConv2d;

/**
 * DREAM, the Dilated REfinement Attention Module (MambaRec, section 3): five parallel branches
 * (a 1x1 convolution, three 3x3 convolutions with dilation 6, 12 and 18, and a global-average
 * branch), each Conv-BatchNorm-ReLU, concatenated to 5d channels C; channel attention
 * a_c = C * ReLU(conv(avgpool C)) and spatial attention a_s = C * Sigmoid(conv C); their
 * elementwise maximum A re-weights C, and a 1x1 Conv-BatchNorm-ReLU projects A * C back to d
 * channels.
 *
 * <p>Item features (N x d) are 1 x 1 maps. There every off-centre tap of a padded dilated 3x3
 * kernel reads zero padding and the global average of a 1 x 1 map is the map itself, so
 * {@link #forward} computes the same function with 1x1 products, the exact shortcut; sequences
 * (N x S x d, viewed as N x d x 1 x S) and explicit 4-d maps take the real dilated convolutions
 * ({@link #forwardMap}). The parameters are the same in both paths: the 3x3 kernels keep their
 * full size (fan_in 9 d), as in the authors' code. The five branch BatchNorms are stored side by
 * side as one BatchNorm over 5d channels (BatchNorm treats each channel on its own); the general
 * path uses its per-branch slices.
 */
public final class Dream {

    static final int[] DILATIONS = {6, 12, 18};
    private static final int BRANCHES = 2 + DILATIONS.length;

    /** Branch convolutions in concatenation order: 1x1, 3x3 dilated 6, 12, 18, global 1x1. */
    private final TorchConv2d[] branchConvs = new TorchConv2d[BRANCHES];

    private final TorchBatchNorm branchNorm;
    private final TorchBatchNorm[] branchNormSlices = new TorchBatchNorm[BRANCHES];
    private final TorchConv2d channelAttention;
    private final TorchConv2d spatialAttention;
    private final TorchConv2d projectionConv;
    private final TorchBatchNorm projectionNorm;
    private final int dim;

    public Dream(ParameterSet params, String name, int dim) {
        this.dim = dim;
        branchConvs[0] = new TorchConv2d(params, name + ".branch1.conv", dim, dim, 1, 1, true);
        for (int b = 0; b < DILATIONS.length; b++) {
            branchConvs[b + 1] =
                    new TorchConv2d(params, name + ".branch" + (b + 2) + ".conv", dim, dim, 3, DILATIONS[b], true);
        }
        branchConvs[BRANCHES - 1] = new TorchConv2d(params, name + ".branch5.conv", dim, dim, 1, 1, true);
        this.branchNorm = new TorchBatchNorm(params, name + ".branches.bn", BRANCHES * dim);
        for (int b = 0; b < BRANCHES; b++) {
            branchNormSlices[b] = branchNorm.slice(b * dim, (b + 1) * dim);
        }
        this.channelAttention = new TorchConv2d(params, name + ".channel_attention", BRANCHES * dim, 1, 1, 1, false);
        this.spatialAttention = new TorchConv2d(params, name + ".spatial_attention", BRANCHES * dim, 1, 1, 1, false);
        this.projectionConv = new TorchConv2d(params, name + ".projection.conv", BRANCHES * dim, dim, 1, 1, true);
        this.projectionNorm = new TorchBatchNorm(params, name + ".projection.bn", dim);
    }

    /**
     * DREAM of item features (N x d, through the exact 1x1 shortcut) or of sequences (N x S x d,
     * through the dilated convolutions; the result is N x S x d again).
     */
    public NDArray forward(NDArray x, Mode mode) {
        Shape shape = x.getShape();
        if (shape.dimension() == 2) {
            return forwardOnPoints(x, mode);
        }
        if (shape.dimension() == 3) {
            long n = shape.get(0);
            long s = shape.get(1);
            NDArray map = x.transpose(0, 2, 1).reshape(n, dim, 1, s);
            return forwardMap(map, mode).reshape(n, dim, s).transpose(0, 2, 1);
        }
        throw new IllegalArgumentException("DREAM takes N x d or N x S x d inputs, not " + shape);
    }

    /** The general form on maps N x d x H x W, with the real (dilated) convolutions, as the authors' code. */
    public NDArray forwardMap(NDArray x, Mode mode) {
        Shape shape = x.getShape();
        NDList branches = new NDList(BRANCHES);
        for (int b = 0; b < BRANCHES - 1; b++) {
            branches.add(Activation.relu(branchNormSlices[b].forward(branchConvs[b].forward(x), mode)));
        }
        // global average, 1x1 Conv-BN-ReLU, resized back: bilinear resizing of a 1 x 1 map is a broadcast
        NDArray global = Activation.relu(
                branchNormSlices[BRANCHES - 1].forward(branchConvs[BRANCHES - 1].forward(spatialMean(x)), mode));
        branches.add(global.broadcast(new Shape(shape.get(0), dim, shape.get(2), shape.get(3))));
        NDArray concat = NDArrays.concat(branches, 1);
        NDArray channel = concat.mul(Activation.relu(channelAttention.forward(spatialMean(concat))));
        NDArray spatial = concat.mul(Activation.sigmoid(spatialAttention.forward(concat)));
        NDArray attention = channel.maximum(spatial);
        return Activation.relu(projectionNorm.forward(projectionConv.forward(attention.mul(concat)), mode));
    }

    /**
     * The exact shortcut of {@link #forwardMap} on 1 x 1 maps given as N x d: the five branches
     * are one product x W^T + b with W the branches' (centre) weights stacked, then one BatchNorm
     * over the 5d channels (with its statistics taken from x's d x d covariance, so the 5d-channel
     * product is normalised as it is made: {@link TorchBatchNorm#ofLinear}), then ReLU, giving C (N x 5d,
     * C >= 0). The two attention convolutions
     * are one product with their weights stacked, giving per row a_c and a_s; as C >= 0,
     * max(C a_c, C a_s) = C max(a_c, a_s) = C m, so A * C = C^2 m, and, the projection being
     * linear, conv(A * C) = (C^2 W_p^T) m + b_p: the row factor m is applied to the d projected
     * channels instead of the 5d ones (the same function; four fewer N x 5d passes per step).
     */
    NDArray forwardOnPoints(NDArray x, Mode mode) {
        NDList weights = new NDList(BRANCHES);
        NDList biases = new NDList(BRANCHES);
        for (TorchConv2d conv : branchConvs) {
            weights.add(conv.centre());
            biases.add(conv.bias());
        }
        NDArray normalised = branchNorm.ofLinear(x, NDArrays.concat(weights, 0), NDArrays.concat(biases, 0), mode);
        NDArray concat = Activation.relu(normalised);
        // autograd keeps what it needs of the N x 5d product (ReLU saves its output, the product its
        // inputs): closing it now frees its memory for the next N x 5d array of the step (C * C),
        // instead of a fresh allocation that the kernel must map in page by page
        normalised.close();
        NDArray attention =
                concat.matMul(NDArrays.concat(new NDList(channelAttention.centre(), spatialAttention.centre()), 0)
                        .transpose()); // N x 2
        NDArray channel = Activation.relu(attention.get(new NDIndex(":, 0:1"))); // N x 1
        NDArray spatial = Activation.sigmoid(attention.get(new NDIndex(":, 1:2"))); // N x 1
        NDArray projected = squaredProjection(concat, projectionConv.centre())
                .mul(channel.maximum(spatial))
                .add(projectionConv.bias()); // N x d
        return Activation.relu(projectionNorm.forward(projected, mode));
    }

    /**
     * (C * C) W^T for C (N x 5d) and W (d x 5d), with autograd's gradients of that product, 2 C * (g W) for C
     * and g^T (C * C) for W, but one N x 5d pass in the backward where autograd's own C * C (or
     * torch.pow) takes three: the backward of C * C multiplies the incoming gradient by each
     * factor and adds the two. Here the product is C * C' with C' = C detached, whose backward
     * is the one pass g' * C'; the factor 2 is applied to q = (C * C') W^T (N x d) instead, as 2q -
     * q' (q' = q detached: the value q, the gradient twice q's), and W enters as W / 2 + W' / 2
     * (W' detached: the value W, half of W's gradient), so that W's gradient is not doubled too.
     * Every step scales by a power of two, which floats do exactly: values and gradients are
     * bit for bit those of {@code c.mul(c).matMul(w.transpose())}.
     */
    static NDArray squaredProjection(NDArray c, NDArray w) {
        NDArray halfGradientW = Scalars.times(w, 0.5).add(Scalars.times(w.stopGradient(), 0.5));
        NDArray q = c.mul(c.stopGradient()).matMul(halfGradientW.transpose());
        return Scalars.times(q, 2).sub(q.stopGradient());
    }

    /** Mean over the two spatial axes, kept as 1 x 1 (torch.mean over axis 2, then 3). */
    private static NDArray spatialMean(NDArray map) {
        return map.mean(new int[] {2}, true).mean(new int[] {3}, true);
    }
}
