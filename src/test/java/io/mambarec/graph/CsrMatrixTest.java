package io.mambarec.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CsrMatrixTest {

    /** 4 x 3, entries out of row order, row 1 empty. */
    private static final SparseMatrix MATRIX =
            new SparseMatrix(4, 3, new int[] {2, 0, 3, 2, 0}, new int[] {1, 2, 0, 0, 0}, new float[] {5, 2, 7, 4, 1});

    @Test
    void groupsTheEntriesByRowKeepingEachRowsOrder() {
        CsrMatrix csr = CsrMatrix.of(MATRIX);
        assertThat(csr.rowStart()).containsExactly(0, 2, 2, 4, 5);
        // row 0: (0, 2) = 2 then (0, 0) = 1; row 2: (2, 1) = 5 then (2, 0) = 4; row 3: (3, 0) = 7
        assertThat(csr.colIndex()).containsExactly(2, 0, 1, 0, 0);
        assertThat(csr.values()).containsExactly(2, 1, 5, 4, 7);
        assertThat(csr.toDense()).containsExactly(MATRIX.toDense());
    }

    @Test
    void selectedRowsAreTheMatrixRowsInTheOrderAsked() {
        float[] dense = MATRIX.toDense();
        long[] rows = {2, 1, 0, 2};
        CsrMatrix selected = CsrMatrix.of(MATRIX).selectRows(rows);
        assertThat(selected.rows()).isEqualTo(4);
        assertThat(selected.cols()).isEqualTo(3);
        float[] selectedDense = selected.toDense();
        for (int r = 0; r < rows.length; r++) {
            int row = (int) rows[r];
            assertThat(Arrays.copyOfRange(selectedDense, r * 3, r * 3 + 3))
                    .containsExactly(Arrays.copyOfRange(dense, row * 3, row * 3 + 3));
        }
        // a row's entries keep their order in the matrix (so sums over them add in the same order)
        assertThat(CsrMatrix.of(MATRIX).selectRows(new long[] {2}).values()).containsExactly(5, 4);
    }
}
