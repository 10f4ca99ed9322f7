package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.mambarec.model.nn.BatchNorm;
import io.mambarec.model.nn.Conv2d;
import io.mambarec.model.nn.Mode;
import io.mambarec.model.nn.ParameterSet;

/**
 * DREAM, the Dilated REfinement Attention Module (MambaRec, section 3): five parallel branches
 * (a 1x1 convolution, three 3x3 convolutions with dilation 6, 12 and 18, and a global-average
 * branch), each Conv-BatchNorm-ReLU, concatenated to 5d channels; channel attention and spatial
 * attention over the concatenation, their elementwise maximum re-weights it, and a 1x1
 * Conv-BatchNorm-ReLU projects back to d channels.
 *
 * <p>Item features (N x d) are 1 x 1 maps. There every off-centre tap of a padded dilated 3x3
 * kernel reads zero padding and the global average of a 1 x 1 map is the map itself, so
 * {@link #forward} computes the same numbers with 1x1 products ({@link Conv2d#forwardOnPoint}),
 * the exact shortcut; sequences (N x S x d, viewed as N x d x 1 x S) and explicit 4-d maps take
 * the real dilated convolutions ({@link #forwardMap}). The parameters are the same in both paths:
 * the 3x3 kernels keep their full size (fan_in 9 d), as in the authors' code.
 */
public final class Dream {

    static final int[] DILATIONS = {6, 12, 18};
    private static final int BRANCHES = 2 + DILATIONS.length;

    private final ConvBnRelu pointBranch;
    private final ConvBnRelu[] dilatedBranches = new ConvBnRelu[DILATIONS.length];
    private final ConvBnRelu globalBranch;
    private final Conv2d channelAttention;
    private final Conv2d spatialAttention;
    private final ConvBnRelu projection;
    private final int dim;

    public Dream(ParameterSet params, String name, int dim) {
        this.dim = dim;
        this.pointBranch = new ConvBnRelu(params, name + ".branch1", dim, dim, 1, 1);
        for (int b = 0; b < DILATIONS.length; b++) {
            dilatedBranches[b] = new ConvBnRelu(params, name + ".branch" + (b + 2), dim, dim, 3, DILATIONS[b]);
        }
        this.globalBranch = new ConvBnRelu(params, name + ".branch5", dim, dim, 1, 1);
        this.channelAttention = new Conv2d(params, name + ".channel_attention", BRANCHES * dim, 1, 1, 1, false);
        this.spatialAttention = new Conv2d(params, name + ".spatial_attention", BRANCHES * dim, 1, 1, 1, false);
        this.projection = new ConvBnRelu(params, name + ".projection", BRANCHES * dim, dim, 1, 1);
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

    /** The general form on maps N x d x H x W, with the real (dilated) convolutions. */
    public NDArray forwardMap(NDArray x, Mode mode) {
        Shape shape = x.getShape();
        NDList branches = new NDList(BRANCHES);
        branches.add(pointBranch.forward(x, mode));
        for (ConvBnRelu branch : dilatedBranches) {
            branches.add(branch.forward(x, mode));
        }
        // global average, 1x1 Conv-BN-ReLU, resized back: bilinear resizing of a 1 x 1 map is a broadcast
        NDArray global = globalBranch.forward(spatialMean(x), mode);
        branches.add(global.broadcast(new Shape(shape.get(0), dim, shape.get(2), shape.get(3))));
        NDArray concat = NDArrays.concat(branches, 1);
        NDArray channelWeight = Activation.relu(channelAttention.forward(spatialMean(concat)));
        NDArray spatialWeight = Activation.sigmoid(spatialAttention.forward(concat));
        return projection.forward(attend(concat, channelWeight, spatialWeight), mode);
    }

    /** The exact shortcut of {@link #forwardMap} on 1 x 1 maps given as N x d. */
    NDArray forwardOnPoints(NDArray x, Mode mode) {
        NDList branches = new NDList(BRANCHES);
        branches.add(pointBranch.forwardOnPoint(x, mode));
        for (ConvBnRelu branch : dilatedBranches) {
            branches.add(branch.forwardOnPoint(x, mode));
        }
        branches.add(globalBranch.forwardOnPoint(x, mode)); // the average of a 1 x 1 map is itself
        NDArray concat = NDArrays.concat(branches, 1);
        NDArray channelWeight = Activation.relu(channelAttention.forwardOnPoint(concat));
        NDArray spatialWeight = Activation.sigmoid(spatialAttention.forwardOnPoint(concat));
        return projection.forwardOnPoint(attend(concat, channelWeight, spatialWeight), mode);
    }

    /** Mean over the two spatial axes, kept as 1 x 1 (torch.mean over axis 2, then 3). */
    private static NDArray spatialMean(NDArray map) {
        return map.mean(new int[] {2}, true).mean(new int[] {3}, true);
    }

    /** A = max(C * channel, C * spatial); the projection sees A * C (the authors' "enhanced features"). */
    private static NDArray attend(NDArray concat, NDArray channelWeight, NDArray spatialWeight) {
        NDArray attention = concat.mul(channelWeight).maximum(concat.mul(spatialWeight));
        return attention.mul(concat);
    }

    /** Conv, BatchNorm, ReLU: one DREAM branch. */
    private static final class ConvBnRelu {
        private final Conv2d conv;
        private final BatchNorm norm;

        ConvBnRelu(ParameterSet params, String name, int in, int out, int kernel, int dilation) {
            this.conv = new Conv2d(params, name + ".conv", in, out, kernel, dilation, true);
            this.norm = new BatchNorm(params, name + ".bn", out);
        }

        NDArray forward(NDArray x, Mode mode) {
            return Activation.relu(norm.forward(conv.forward(x), mode));
        }

        NDArray forwardOnPoint(NDArray x, Mode mode) {
            return Activation.relu(norm.forward(conv.forwardOnPoint(x), mode));
        }
    }
}
