package io.mambarec.registry;

/** A stored version whose parameters do not match their SHA-256, or that cannot be rebuilt: never served. */
public class ModelIntegrityException extends RuntimeException {

    public ModelIntegrityException(String message) {
        super(message);
    }

    public ModelIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
