package io.mambarec.storage;

/** The life of a retraining job: QUEUED -> RUNNING -> one of the four final statuses. */
public enum TrainingJobStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    REJECTED,
    FAILED,
    CANCELLED;

    public boolean isFinal() {
        return this != QUEUED && this != RUNNING;
    }
}
