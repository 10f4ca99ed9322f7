package io.mambarec.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Arithmetic with a constant, safe inside an autograd graph. Use these, not {@code x.mul(2f)},
 * in every differentiable computation.
 *
 * <p>DJL's PyTorch engine turns the number of {@code x.mul(2f)} into a tensor over a Java direct
 * buffer (no copy) and closes that array as soon as the product is made; but autograd keeps the
 * tensor to compute the gradient, and once the garbage collector has freed the buffer the
 * backward pass reads whatever then lies there (a NaN loss or a silently wrong step whenever a
 * collection falls between forward and backward). Here the constant is made by the engine
 * ({@code torch.full}), in memory PyTorch owns and reference-counts, so autograd's copy of the
 * reference stays valid after the array is closed.
 */
public final class Scalars {

    private Scalars() {}

    /** x * c */
    public static NDArray times(NDArray x, double c) {
        return withConstant(x, c, NDArray::mul);
    }

    /** x / c */
    public static NDArray dividedBy(NDArray x, double c) {
        return withConstant(x, c, NDArray::div);
    }

    /** x + c */
    public static NDArray plus(NDArray x, double c) {
        return withConstant(x, c, NDArray::add);
    }

    /** max(x, floor) elementwise */
    public static NDArray atLeast(NDArray x, double floor) {
        return withConstant(x, floor, NDArray::maximum);
    }

    /** op(x, c) with c a 0-d tensor of x's type in engine-owned memory, closed once op has run. */
    private static NDArray withConstant(NDArray x, double c, BinaryOperator<NDArray> op) {
        try (NDArray constant = x.getManager().full(new Shape(), (float) c, x.getDataType())) {
            return op.apply(x, constant);
        }
    }
}
