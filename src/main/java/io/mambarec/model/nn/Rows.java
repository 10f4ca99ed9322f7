package io.mambarec.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.SparseFormat;

/** Row gathers for embedding tables, safe for deterministic training on CPU. */
public final class Rows {

    private Rows() {}

    /**
     * Rows {@code indices} of {@code table}, differentiable. Uses torch.embedding rather than
     * advanced indexing ({@code table.get(indices)}): on CPU the backward of indexing accumulates
     * with parallel atomic adds (run-to-run float differences), embedding's backward is
     * deterministic. Same values, same gradients otherwise.
     */
    public static NDArray of(NDArray table, NDArray indices) {
        return table.getNDArrayInternal()
                .embedding(indices, table, SparseFormat.DENSE)
                .singletonOrThrow();
    }
}
