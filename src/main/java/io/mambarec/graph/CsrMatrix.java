package io.mambarec.graph;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * A sparse matrix in compressed-row form: the entries of row r are positions rowStart[r] ..
 * rowStart[r + 1] - 1 of colIndex and values, in their order in the coordinate form it was made
 * from, so a row's sum adds its terms in the same order as PyTorch's COO product. The sub-matrix
 * of any set of rows is cut in time proportional to their entries (a training step's rows of
 * A_hat or R_hat).
 *
 * @param rows number of rows
 * @param cols number of columns
 * @param rowStart rows + 1 offsets, rowStart[0] = 0, rowStart[rows] = the number of entries
 * @param colIndex column of each entry
 * @param values value of each entry
 */
public record CsrMatrix(int rows, int cols, int[] rowStart, int[] colIndex, float[] values) {

    public CsrMatrix {
        if (rowStart.length != rows + 1 || colIndex.length != values.length || rowStart[rows] != values.length) {
            throw new IllegalArgumentException("row starts, column and value arrays do not fit together");
        }
    }

    /** The same matrix, its entries grouped by row, each row's in their order in {@code matrix}. */
    public static CsrMatrix of(SparseMatrix matrix) {
        int[] rowStart = new int[matrix.rows() + 1];
        for (int row : matrix.rowIndex()) {
            rowStart[row + 1]++;
        }
        for (int r = 0; r < matrix.rows(); r++) {
            rowStart[r + 1] += rowStart[r];
        }
        int[] colIndex = new int[matrix.nonZeros()];
        float[] values = new float[matrix.nonZeros()];
        int[] next = rowStart.clone();
        for (int k = 0; k < values.length; k++) {
            int slot = next[matrix.rowIndex()[k]]++;
            colIndex[slot] = matrix.colIndex()[k];
            values[slot] = matrix.values()[k];
        }
        return new CsrMatrix(matrix.rows(), matrix.cols(), rowStart, colIndex, values);
    }

    public int nonZeros() {
        return values.length;
    }

    /** The rows {@code rows} of the matrix, in that order: a rows.length x cols matrix. */
    public CsrMatrix selectRows(long[] rows) {
        int[] start = new int[rows.length + 1];
        for (int r = 0; r < rows.length; r++) {
            int row = (int) rows[r];
            start[r + 1] = start[r] + rowStart[row + 1] - rowStart[row];
        }
        int[] selectedCols = new int[start[rows.length]];
        float[] selectedValues = new float[start[rows.length]];
        for (int r = 0; r < rows.length; r++) {
            int row = (int) rows[r];
            int length = rowStart[row + 1] - rowStart[row];
            System.arraycopy(colIndex, rowStart[row], selectedCols, start[r], length);
            System.arraycopy(values, rowStart[row], selectedValues, start[r], length);
        }
        return new CsrMatrix(rows.length, cols, start, selectedCols, selectedValues);
    }

    /**
     * The row starts and column indices (int32) and the values (float32) owned by {@code manager},
     * copied into memory PyTorch owns (see {@link SparseMatrix#toNDArray}: autograd may keep them
     * until the backward pass).
     */
    public NDList toNDArrays(NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            NDList owned = new NDList(
                    scratch.create(rowStart).duplicate(),
                    scratch.create(colIndex).duplicate(),
                    scratch.create(values).duplicate());
            owned.attach(manager);
            return owned;
        }
    }

    /** Dense row-major copy, for tests and small matrices. */
    public float[] toDense() {
        float[] dense = new float[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) {
            for (int k = rowStart[r]; k < rowStart[r + 1]; k++) {
                dense[r * cols + colIndex[k]] += values[k];
            }
        }
        return dense;
    }
}
