package io.mambarec.model;

import io.mambarec.data.DataFingerprint;
import io.mambarec.data.Dataset;

/**
 * Where a trained model comes from, beside the settings in its manifest: the seed, the code that
 * trained it and the data it was trained on. The same seed, code, data and settings train the same model.
 *
 * @param seed the random seed of the run
 * @param codeVersion the git commit of the build that trained it ({@link CodeVersion})
 * @param data the training data's sizes and fingerprints
 */
public record Provenance(long seed, String codeVersion, Data data) {

    /** The provenance of a run of this build on {@code data} with {@code seed}. */
    public static Provenance of(Dataset data, long seed) {
        return new Provenance(seed, CodeVersion.current(), Data.of(data));
    }

    /**
     * @param users users of the dataset
     * @param items items of the dataset
     * @param train interactions of the training split
     * @param valid interactions of the validation split
     * @param test interactions of the test split
     * @param trainSha256 SHA-256 of the training split (ids, interactions, weights)
     * @param sha256 SHA-256 of everything training reads: every split and the item features
     */
    public record Data(int users, int items, int train, int valid, int test, String trainSha256, String sha256) {

        public static Data of(Dataset data) {
            return new Data(
                    data.numUsers(),
                    data.numItems(),
                    data.train().size(),
                    data.valid().size(),
                    data.test().size(),
                    DataFingerprint.ofTrainingSplit(data),
                    DataFingerprint.of(data));
        }
    }
}
