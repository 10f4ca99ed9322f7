package io.mambarec.jobs;

/** A job that another attempt would not improve (no data to train on, users erased meanwhile): it fails at once. */
class InvalidJobException extends RuntimeException {

    InvalidJobException(String message) {
        super(message);
    }
}
