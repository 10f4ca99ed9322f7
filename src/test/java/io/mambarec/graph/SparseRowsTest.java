package io.mambarec.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SparseRowsTest {

    @Test
    void selectedRowsAreTheMatrixRowsInTheOrderAsked() {
        // 4 x 3, entries out of row order, row 1 empty
        SparseMatrix matrix = new SparseMatrix(
                4, 3, new int[] {2, 0, 3, 2, 0}, new int[] {1, 2, 0, 0, 0}, new float[] {5, 2, 7, 4, 1});
        float[] dense = matrix.toDense();
        long[] rows = {2, 1, 0, 2};
        SparseMatrix selected = new SparseRows(matrix).select(rows);
        assertThat(selected.rows()).isEqualTo(4);
        assertThat(selected.cols()).isEqualTo(3);
        float[] selectedDense = selected.toDense();
        for (int r = 0; r < rows.length; r++) {
            int row = (int) rows[r];
            assertThat(Arrays.copyOfRange(selectedDense, r * 3, r * 3 + 3))
                    .containsExactly(Arrays.copyOfRange(dense, row * 3, row * 3 + 3));
        }
        // a row's entries keep their order in the matrix (so sums over them add in the same order)
        assertThat(new SparseRows(matrix).select(new long[] {2}).values()).containsExactly(5, 4);
    }
}
