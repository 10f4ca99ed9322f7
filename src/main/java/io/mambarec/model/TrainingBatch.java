package io.mambarec.model;

import ai.djl.ndarray.NDArray;

/**
 * One training batch: B users, a positive item each and one sampled negative each (int64 index
 * arrays of shape (B), owned by the batch's scoped manager).
 */
public record TrainingBatch(NDArray users, NDArray positives, NDArray negatives) {}
