package io.mambarec.data;

/** The MMRec split labels ({@code x_label} column): 0 train, 1 validation, 2 test. */
public enum Split {
    TRAIN,
    VALID,
    TEST
}
