package io.mambarec.storage;

/** Where a model version came from: a retraining job, or an offline-trained model registered at start-up. */
public enum ModelVersionSource {
    RETRAIN,
    BOOTSTRAP
}
