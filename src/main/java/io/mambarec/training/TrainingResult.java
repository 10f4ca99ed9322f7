package io.mambarec.training;

import io.mambarec.model.Embeddings;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one training run. The model holds the best epoch's parameters when this is returned.
 *
 * @param epochs epochs trained
 * @param bestEpoch 1-based epoch with the best validation Recall@20
 * @param secondsPerEpoch mean training seconds per epoch, evaluation excluded
 * @param valid validation metrics at the best epoch
 * @param test test metrics at the best epoch
 * @param history every epoch's report
 * @param bestEmbeddings the model's embeddings at the best epoch, as validation ranked them (the
 *     trained model's own); null when the best epoch was trained before a resume
 */
public record TrainingResult(
        int epochs,
        int bestEpoch,
        double secondsPerEpoch,
        Map<String, Double> valid,
        Map<String, Double> test,
        List<EpochReport> history,
        Embeddings bestEmbeddings) {}
