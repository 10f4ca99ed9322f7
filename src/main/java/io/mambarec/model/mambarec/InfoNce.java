package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.mambarec.model.nn.Scalars;

/**
 * The InfoNCE contrastive loss between two views of the same rows (MGCN's and MambaRec's
 * self-supervised task): with a, b L2-normalised,
 * NCE(a, b) = mean_k -log(exp(a_k . b_k / tau) / sum_l exp(a_k . b_l / tau)).
 */
public final class InfoNce {

    /** torch.nn.functional.normalize's floor on the norm. */
    private static final float NORM_EPS = 1e-12f;

    private final double temperature;

    public InfoNce(double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("InfoNCE temperature must be positive, not " + temperature);
        }
        this.temperature = temperature;
    }

    public NDArray loss(NDArray view1, NDArray view2) {
        // a / tau instead of (a b^T) / tau: the same scores with a B x d division instead of a B x B one
        NDArray a = Scalars.dividedBy(normalizeRows(view1), (float) temperature);
        NDArray b = normalizeRows(view2);
        NDArray positive = a.mul(b).sum(new int[] {1});
        // cosines lie in [-1, 1], so exp(cos / tau) cannot overflow: the authors' formula is computed as is
        NDArray total = a.matMul(b.transpose()).exp().sum(new int[] {1}).log();
        return total.sub(positive).mean();
    }

    /**
     * The same loss over a batch whose rows repeat: {@code view1}, {@code view2} hold each distinct
     * row once (D x d) and {@code rows} how often it occurs. Each row k of the batch contributes
     * -log(exp(a_k . b_k / tau) / sum_q c_q exp(a_k . b_q / tau)), counted c_k times, over B rows;
     * c_q enters the exponent as log c_q through an extra column, so no D x D weight matrix is made.
     */
    public NDArray loss(NDArray view1, NDArray view2, DistinctRows rows) {
        NDArray a = Scalars.dividedBy(normalizeRows(view1), (float) temperature);
        NDArray b = normalizeRows(view2);
        NDArray positive = a.mul(b).sum(new int[] {1}, true);
        NDArray aWithOne = a.concat(a.getManager().ones(new Shape(rows.size(), 1)), 1);
        NDArray bWithLogCount = b.concat(rows.logCounts(), 1);
        NDArray total = aWithOne.matMul(bWithLogCount.transpose())
                .exp()
                .sum(new int[] {1}, true)
                .log();
        return Scalars.dividedBy(total.sub(positive).mul(rows.counts()).sum(), rows.batchSize());
    }

    /** x / max(|x|, 1e-12) row by row, as torch.nn.functional.normalize(x, dim=1). */
    static NDArray normalizeRows(NDArray x) {
        return x.div(Scalars.atLeast(x.norm(new int[] {1}, true), NORM_EPS));
    }
}
