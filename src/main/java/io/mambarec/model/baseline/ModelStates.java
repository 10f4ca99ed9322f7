package io.mambarec.model.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.mambarec.graph.SparseMatrix;

/** Helpers for a model's named state: copy values in by name, and store a sparse graph as dense arrays. */
public final class ModelStates {

    private ModelStates() {}

    /** Copies every array of {@code state} into the array of {@code own} with the same name and shape. */
    public static void copyByName(NDList own, NDList state) {
        for (NDArray source : state) {
            NDArray target = own.get(source.getName());
            if (target == null) {
                throw new IllegalArgumentException("state holds an unknown array '" + source.getName() + "'");
            }
            if (!target.getShape().equals(source.getShape())) {
                throw new IllegalArgumentException("state array '" + source.getName() + "' has shape "
                        + source.getShape() + ", the model expects " + target.getShape());
            }
            target.set(source.toByteBuffer());
        }
    }

    /** A named array by name, or a clear error. */
    public static NDArray require(NDList state, String name) {
        NDArray array = state.get(name);
        if (array == null) {
            throw new IllegalArgumentException("saved state has no array '" + name + "'");
        }
        return array;
    }

    /** The graph as two named arrays: {@code name.indices} (2 x nnz, int64) and {@code name.values}. */
    public static NDList graphArrays(SparseMatrix graph, NDManager manager, String name) {
        long[] indices = new long[2 * graph.nonZeros()];
        for (int k = 0; k < graph.nonZeros(); k++) {
            indices[k] = graph.rowIndex()[k];
            indices[graph.nonZeros() + k] = graph.colIndex()[k];
        }
        NDArray idx = manager.create(indices, new Shape(2, graph.nonZeros()));
        idx.setName(name + ".indices");
        NDArray values = manager.create(graph.values());
        values.setName(name + ".values");
        return new NDList(idx, values);
    }

    /** The inverse of {@link #graphArrays}: a square sparse COO NDArray of size {@code n}. */
    public static NDArray sparseFrom(NDList state, String name, int n, NDManager manager) {
        long[] indices =
                require(state, name + ".indices").toType(DataType.INT64, false).toLongArray();
        float[] values = require(state, name + ".values").toFloatArray();
        int nnz = values.length;
        int[] rows = new int[nnz];
        int[] cols = new int[nnz];
        for (int k = 0; k < nnz; k++) {
            rows[k] = Math.toIntExact(indices[k]);
            cols[k] = Math.toIntExact(indices[nnz + k]);
        }
        return new SparseMatrix(n, n, rows, cols, values).toNDArray(manager);
    }
}
