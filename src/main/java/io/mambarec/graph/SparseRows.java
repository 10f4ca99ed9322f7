package io.mambarec.graph;

/**
 * A {@link SparseMatrix} with its entries grouped by row, so that the sub-matrix of any set of
 * rows is cut in time proportional to their entries (a training step's rows of A_hat or R_hat).
 */
public final class SparseRows {

    private final SparseMatrix matrix;
    /** Entries of row r are order[start[r] .. start[r + 1]). */
    private final int[] start;

    private final int[] order;

    public SparseRows(SparseMatrix matrix) {
        this.matrix = matrix;
        this.start = new int[matrix.rows() + 1];
        for (int row : matrix.rowIndex()) {
            start[row + 1]++;
        }
        for (int r = 0; r < matrix.rows(); r++) {
            start[r + 1] += start[r];
        }
        this.order = new int[matrix.nonZeros()];
        int[] next = start.clone();
        for (int k = 0; k < order.length; k++) {
            order[next[matrix.rowIndex()[k]]++] = k;
        }
    }

    /** The rows {@code rows} of the matrix, in that order: a rows.length x cols matrix. */
    public SparseMatrix select(long[] rows) {
        int nnz = 0;
        for (long row : rows) {
            nnz += start[(int) row + 1] - start[(int) row];
        }
        int[] rowIndex = new int[nnz];
        int[] colIndex = new int[nnz];
        float[] values = new float[nnz];
        int k = 0;
        for (int r = 0; r < rows.length; r++) {
            int row = (int) rows[r];
            for (int e = start[row]; e < start[row + 1]; e++) {
                rowIndex[k] = r;
                colIndex[k] = matrix.colIndex()[order[e]];
                values[k] = matrix.values()[order[e]];
                k++;
            }
        }
        return new SparseMatrix(rows.length, matrix.cols(), rowIndex, colIndex, values);
    }
}
