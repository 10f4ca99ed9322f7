package io.mambarec.data;

/** The MMRec split labels ({@code x_label} column): 0 train, 1 validation, 2 test. */
public enum Split {
    TRAIN,
    VALID,
    TEST;

    public static Split ofLabel(int label) {
        return switch (label) {
            case 0 -> TRAIN;
            case 1 -> VALID;
            case 2 -> TEST;
            default -> throw new IllegalArgumentException("split label must be 0, 1 or 2, not " + label);
        };
    }
}
