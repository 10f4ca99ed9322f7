package io.mambarec.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's product of a sparse matrix in compressed-row form (CSR) and a dense matrix, A X,
 * differentiable in X: {@code torch.sparse.mm(A, X, reduce="sum")} on a {@code torch.sparse_csr_tensor},
 * PyTorch's CPU kernel for graph propagation (one vectorised pass per row, rows in parallel, each
 * row's terms added in their order). Its backward, A^T G, sorts A's entries by column once per call
 * and runs the same kernel column by column. PyTorch's COO product, which this replaces, is one
 * serial loop of axpy calls each way; {@code torch.mm} on the CSR tensor (MKL) is faster forward
 * but converts the transpose to CSR in its backward, which costs more than the product (measured in
 * docs/results.md). DJL has no CSR tensors; the product runs through a {@link TorchScriptModule}
 * that this class writes out and loads once.
 */
public final class SparseDenseProduct implements AutoCloseable {

    private static final String NAME = "SparseDenseProduct";

    /** The module's source; the number of columns of A is the number of rows of X. */
    private static final String CODE = """
            class SparseDenseProduct(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.SparseDenseProduct,
                dense: Tensor,
                row_start: Tensor,
                col_index: Tensor,
                values: Tensor) -> Tensor:
                size = [row_start.size(0) - 1, dense.size(0)]
                matrix = torch.sparse_csr_tensor(row_start, col_index, values, size)
                return torch._sparse_mm(matrix, dense, "sum")
            """;

    private final PtSymbolBlock module;
    private final PtNDManager manager;

    private SparseDenseProduct(PtSymbolBlock module, PtNDManager manager) {
        this.module = module;
        this.manager = manager;
    }

    /** Builds and loads the module; its native handle belongs to a sub-manager of {@code parent}. */
    public static SparseDenseProduct load(NDManager parent) {
        PtNDManager manager = (PtNDManager) parent.newSubManager();
        try {
            return new SparseDenseProduct(TorchScriptModule.load(manager, NAME, CODE), manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A X, rows(A) x cols(X), owned by X's manager; recorded by autograd when gradients are on.
     *
     * @param csr A's row starts (rows + 1) and column indices (int32) and values (float32)
     * @param dense X, float32, cols(A) rows; its name, if any, must not contain a dot (DJL would
     *     read the input as a dictionary entry)
     */
    public NDArray multiply(NDList csr, NDArray dense) {
        if (csr.size() != 3) {
            throw new IllegalArgumentException("a CSR matrix is three arrays, not " + csr.size());
        }
        if (dense.getName() != null && dense.getName().contains(".")) {
            throw new IllegalArgumentException("the dense input's name may not contain a dot: " + dense.getName());
        }
        // The graph executor's optimisation off for this call: each operator runs as called, with no
        // specialisation of the module on its first calls' shapes and autograd mode (the batch rows'
        // product changes shape every step; evaluation calls run without gradients).
        JniUtils.setGraphExecutorOptimize(false);
        try {
            // training = true: the call keeps the caller's autograd mode (false would switch gradients off)
            return IValueUtils.forward(module, new NDList(dense, csr.get(0), csr.get(1), csr.get(2)), true)
                    .singletonOrThrow();
        } finally {
            JniUtils.setGraphExecutorOptimize(true); // PyTorch's default, per thread
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
