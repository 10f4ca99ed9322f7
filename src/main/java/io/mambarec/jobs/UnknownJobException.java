package io.mambarec.jobs;

/** No retraining job has this id. */
public class UnknownJobException extends RuntimeException {

    public UnknownJobException(String id) {
        super("no retraining job '" + id + "'");
    }
}
