package io.mambarec.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

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

    /** A sparse COO NDArray owned by {@code manager}. */
    public NDArray toNDArray(NDManager manager) {
        long[][] indices = new long[2][values.length];
        for (int k = 0; k < values.length; k++) {
            indices[0][k] = rowIndex[k];
            indices[1][k] = colIndex[k];
        }
        return manager.createCoo(FloatBuffer.wrap(values), indices, new Shape(rows, cols));
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
