package io.mambarec.training;

/** The run was cancelled from outside (between two batches). */
public class TrainingCancelledException extends RuntimeException {

    public TrainingCancelledException(String message) {
        super(message);
    }
}
