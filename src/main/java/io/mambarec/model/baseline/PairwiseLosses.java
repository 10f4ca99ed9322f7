package io.mambarec.model.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.mambarec.model.nn.Scalars;

/** The MMRec toolbox's losses for pairwise training ({@code common/loss.py}). */
public final class PairwiseLosses {

    /** MMRec's BPRLoss gamma: keeps the log finite when sigmoid underflows. */
    private static final float GAMMA = 1e-10f;

    private PairwiseLosses() {}

    /** BPRLoss: -mean(log(gamma + sigmoid(pos - neg))). */
    public static NDArray bpr(NDArray positiveScores, NDArray negativeScores) {
        return Scalars.plus(Activation.sigmoid(positiveScores.sub(negativeScores)), GAMMA)
                .log()
                .mean()
                .neg();
    }

    /**
     * EmbLoss: the sum of the L2 (Frobenius) norms of the given embedding batches, NOT squared,
     * divided by the batch size (rows of the last one).
     */
    public static NDArray embedding(NDArray... embeddings) {
        NDArray sum = null;
        for (NDArray e : embeddings) {
            NDArray norm = e.square().sum().sqrt();
            sum = sum == null ? norm : sum.add(norm);
        }
        return Scalars.dividedBy(
                sum, embeddings[embeddings.length - 1].getShape().get(0));
    }

    /** Row-wise inner products of two (B x d) matrices: (B). */
    public static NDArray rowDot(NDArray a, NDArray b) {
        return a.mul(b).sum(new int[] {1});
    }
}
