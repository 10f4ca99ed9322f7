package io.mambarec.model;

import java.util.List;
import java.util.Map;

/**
 * What a saved model is: which model, with which settings, for which users and items. Stored as
 * {@code model.json} beside the parameters; with them it rebuilds the model without the dataset.
 *
 * @param model model name ({@code mambarec}, ...)
 * @param dataset name of the dataset it was trained on
 * @param hyperparameters resolved hyper-parameters and training settings
 * @param shape users, items and modality dimensions
 * @param userIds external id of each user index
 * @param itemIds external id of each item index
 * @param createdAt ISO-8601 instant
 */
public record ModelManifest(
        String model,
        String dataset,
        Map<String, Object> hyperparameters,
        ModelShape shape,
        List<String> userIds,
        List<String> itemIds,
        String createdAt) {}
