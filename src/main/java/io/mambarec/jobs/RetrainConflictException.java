package io.mambarec.jobs;

import java.util.UUID;

/** A retraining job is already queued or running somewhere: one at a time across all replicas. */
public class RetrainConflictException extends RuntimeException {

    private final UUID activeJobId;

    public RetrainConflictException(String message, UUID activeJobId) {
        super(message);
        this.activeJobId = activeJobId;
    }

    /** The job in the way, when known. */
    public UUID activeJobId() {
        return activeJobId;
    }
}
