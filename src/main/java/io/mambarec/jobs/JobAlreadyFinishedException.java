package io.mambarec.jobs;

/** A finished job cannot be cancelled. */
public class JobAlreadyFinishedException extends RuntimeException {

    public JobAlreadyFinishedException(String message) {
        super(message);
    }
}
