package io.mambarec.model;

/** A saved model whose format version this build cannot read (written by a newer release, or not a model). */
public class UnsupportedModelFormatException extends IllegalArgumentException {

    public UnsupportedModelFormatException(String message) {
        super(message);
    }
}
