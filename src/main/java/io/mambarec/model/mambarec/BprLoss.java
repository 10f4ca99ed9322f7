package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.mambarec.model.nn.Scalars;

/**
 * Bayesian Personalised Ranking with the authors' embedding regulariser:
 * -mean(log sigmoid(z_u.z_i - z_u.z_j)) + reg * (|z_u|^2 + |z_i|^2 + |z_j|^2) / 2 / B.
 *
 * <p>B is the configured batch size (the authors' {@code self.batch_size =
 * config['train_batch_size']}), also for a last, shorter batch, as in their code.
 */
public final class BprLoss {

    private final double regWeight;
    private final int batchSize;

    public BprLoss(double regWeight, int batchSize) {
        this.regWeight = regWeight;
        this.batchSize = batchSize;
    }

    public NDArray loss(NDArray users, NDArray positives, NDArray negatives) {
        NDArray positiveScores = users.mul(positives).sum(new int[] {1});
        NDArray negativeScores = users.mul(negatives).sum(new int[] {1});
        // log sigmoid(x) = -softplus(-x)
        NDArray ranking =
                Activation.softPlus(negativeScores.sub(positiveScores)).mean();
        NDArray squaredNorms = users.square()
                .sum()
                .add(positives.square().sum())
                .add(negatives.square().sum());
        return ranking.add(Scalars.times(squaredNorms, (float) (regWeight / 2 / batchSize)));
    }
}
