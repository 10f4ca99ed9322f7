package io.mambarec.registry;

/** No stored model version has this number. */
public class UnknownModelVersionException extends RuntimeException {

    public UnknownModelVersionException(long version) {
        this(String.valueOf(version));
    }

    public UnknownModelVersionException(String version) {
        super("no model version '" + version + "'");
    }
}
