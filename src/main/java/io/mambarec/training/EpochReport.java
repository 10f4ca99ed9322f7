package io.mambarec.training;

/**
 * What one finished epoch reports to a {@link TrainingListener}.
 *
 * @param epoch 1-based epoch number
 * @param meanLoss mean training loss over the epoch's batches
 * @param validRecall20 validation Recall@20 after the epoch
 * @param trainSeconds seconds spent training (evaluation excluded)
 * @param evalSeconds seconds spent evaluating
 * @param learningRate learning rate used in this epoch
 * @param bestEpoch 1-based epoch with the best validation Recall@20 so far
 * @param bestValidRecall20 the best validation Recall@20 so far
 * @param maxEpochs upper bound on epochs
 */
public record EpochReport(
        int epoch,
        double meanLoss,
        double validRecall20,
        double trainSeconds,
        double evalSeconds,
        double learningRate,
        int bestEpoch,
        double bestValidRecall20,
        int maxEpochs) {

    /** One progress line: epoch, loss, validation Recall@20, seconds, best so far. */
    public String progressLine() {
        return String.format(
                java.util.Locale.ROOT,
                "epoch %4d  loss %.4f  valid Recall@20 %.4f  train %.2fs  eval %.2fs  best %.4f (epoch %d)",
                epoch,
                meanLoss,
                validRecall20,
                trainSeconds,
                evalSeconds,
                bestValidRecall20,
                bestEpoch);
    }
}
