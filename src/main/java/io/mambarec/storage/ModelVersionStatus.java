package io.mambarec.storage;

/** A stored model version: the one ACTIVE (served), INACTIVE (kept for rollback) or REJECTED by the quality gate. */
public enum ModelVersionStatus {
    ACTIVE,
    INACTIVE,
    REJECTED
}
