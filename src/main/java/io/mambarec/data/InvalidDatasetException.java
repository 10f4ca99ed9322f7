package io.mambarec.data;

/** A dataset folder that cannot be used as it is: the message says what is wrong and where. */
public class InvalidDatasetException extends RuntimeException {

    public InvalidDatasetException(String message) {
        super(message);
    }

    public InvalidDatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
