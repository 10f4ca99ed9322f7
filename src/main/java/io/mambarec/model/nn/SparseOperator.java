package io.mambarec.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mambarec.graph.CsrMatrix;
import io.mambarec.runtime.SparseDenseProduct;

/**
 * A constant sparse matrix A (a graph) as an operator on dense arrays: {@code times(X)} = A X,
 * differentiable in X, by PyTorch's CSR product ({@link SparseDenseProduct}).
 */
public final class SparseOperator {

    private final NDList matrix;
    private final SparseDenseProduct product;

    /** A's arrays are owned by {@code manager}. */
    public SparseOperator(CsrMatrix matrix, SparseDenseProduct product, NDManager manager) {
        this.matrix = matrix.toNDArrays(manager);
        this.product = product;
    }

    /** A X, rows(A) x cols(X). */
    public NDArray times(NDArray x) {
        return product.multiply(matrix, x);
    }
}
