package io.mambarec.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A sparse matrix in coordinate form, built in plain Java and handed to DJL as a PyTorch sparse
 * COO tensor for sparse-dense products ({@code toNDArray(manager).matMul(dense)}).
 *
 * @param rows number of rows
 * @param cols number of columns
 * @param rowIndex row of each entry
 * @param colIndex column of each entry
 * @param values value of each entry
 */
public record SparseMatrix(int rows, int cols, int[] rowIndex, int[] colIndex, float[] values) {

    public SparseMatrix {
        if (rowIndex.length != colIndex.length || rowIndex.length != values.length) {
            throw new IllegalArgumentException("row, column and value arrays differ in length");
        }
    }

    public int nonZeros() {
        return values.length;
    }

    /**
     * A sparse COO NDArray owned by {@code manager}.
     *
     * <p>Not {@code manager.createCoo}: in DJL 0.36 PyTorch it wraps Java direct buffers without
     * copying and lets them go when its temporary arrays close, so the sparse tensor later reads
     * freed memory (a SIGSEGV in sparse-dense addmm after a garbage collection). Here the index
     * and value tensors are cloned into PyTorch-owned memory before the sparse tensor is built.
     */
    public NDArray toNDArray(NDManager manager) {
        long[] indices = new long[2 * values.length];
        for (int k = 0; k < values.length; k++) {
            indices[k] = rowIndex[k];
            indices[values.length + k] = colIndex[k];
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray ownedIndices =
                    scratch.create(indices, new Shape(2, values.length)).duplicate();
            NDArray ownedValues = scratch.create(values).duplicate();
            NDArray sparse =
                    JniUtils.createSparseCoo((PtNDArray) ownedIndices, (PtNDArray) ownedValues, new Shape(rows, cols));
            sparse.attach(manager);
            return sparse;
        }
    }

    /** Dense row-major copy, for tests and small matrices. */
    public float[] toDense() {
        float[] dense = new float[Math.multiplyExact(rows, cols)];
        for (int k = 0; k < values.length; k++) {
            dense[rowIndex[k] * cols + colIndex[k]] += values[k];
        }
        return dense;
    }
}
