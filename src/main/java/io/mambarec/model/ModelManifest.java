package io.mambarec.model;

import java.util.List;
import java.util.Map;

/**
 * What a saved model is: which model, with which settings, for which users and items, and where it
 * comes from. Stored as {@code model.json} beside the parameters; with them it rebuilds the model
 * without the dataset.
 *
 * <p>{@link #FORMAT_VERSION} changes whenever a build could no longer read what an older one
 * wrote, or could misread it (the manifest's fields, the parameter encoding, a model's state
 * layout); a build refuses a format it does not know rather than guess.
 *
 * @param formatVersion the format of this manifest and its parameters (1: written before provenance was
 *     recorded; 1 and 2: LightGCN's A_hat saved as {@code adjacency.indices} and {@code adjacency.values},
 *     since 3 as every model's graphs are, {@code graph.adjacency.rows}, {@code .cols}, {@code .values})
 * @param model model name ({@code mambarec}, ...)
 * @param dataset name of the dataset it was trained on
 * @param hyperparameters resolved hyper-parameters and training settings
 * @param shape users, items and modality dimensions
 * @param userIds external id of each user index
 * @param itemIds external id of each item index
 * @param createdAt ISO-8601 instant
 * @param provenance seed, code version and training data; null in format 1
 * @param memberSeeds since format 4: a {@link SeedEnsemble}'s members' seeds, its parameters their
 *     states one after another; null for a single model (which is written as format 3, so a build of
 *     format 3 still reads it)
 */
public record ModelManifest(
        int formatVersion,
        String model,
        String dataset,
        Map<String, Object> hyperparameters,
        ModelShape shape,
        List<String> userIds,
        List<String> itemIds,
        String createdAt,
        Provenance provenance,
        List<Long> memberSeeds) {

    /** The newest format this build reads and writes (a seed ensemble's). */
    public static final int FORMAT_VERSION = 4;
    /** The format of a single model: its layout is unchanged since 3. */
    public static final int SINGLE_MODEL_FORMAT = 3;
    /** The oldest format this build reads. */
    public static final int OLDEST_READABLE = 1;

    /** Members of the model this manifest describes: 1 unless it is a {@link SeedEnsemble}. */
    public int members() {
        return memberSeeds == null || memberSeeds.isEmpty() ? 1 : memberSeeds.size();
    }
}
