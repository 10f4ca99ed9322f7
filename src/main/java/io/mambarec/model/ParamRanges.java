package io.mambarec.model;

import io.mambarec.model.ParamSpec.Range;

/** The ranges the parameters share, named by what they bound. */
public final class ParamRanges {

    /** Adam's learning rate: above 0, at most 1. */
    public static final Range LEARNING_RATE = Range.aboveAndAtMost(0, 1);
    /** A per-epoch decay factor: above 0, at most 1 (1: none). */
    public static final Range DECAY = Range.aboveAndAtMost(0, 1);
    /** Interactions per batch. */
    public static final Range BATCH_SIZE = Range.between(1, 1_000_000);
    /** Embedding dimensions: beyond 1,024 the tables exhaust memory before they help. */
    public static final Range EMBEDDING_SIZE = Range.between(1, 1024);
    /** Graph propagation layers. */
    public static final Range LAYERS = Range.between(0, 8);
    /** A loss weight. */
    public static final Range WEIGHT = Range.atLeast(0);
    /** A temperature or bandwidth: strictly positive. */
    public static final Range POSITIVE = Range.above(0);
    /** A dropout rate. */
    public static final Range DROPOUT = Range.atLeastAndBelow(0, 1);
    /** An epoch count. */
    public static final Range EPOCHS = Range.between(1, 10_000);
    /** Early-stopping patience, in epochs. */
    public static final Range PATIENCE = Range.between(0, 10_000);
    /** Neighbours per item in a kNN graph. */
    public static final Range NEIGHBOURS = Range.between(1, 1024);
    /** A reduction factor (0: none). */
    public static final Range REDUCTION = Range.between(0, 1024);
    /** Steps per epoch (0: automatic). */
    public static final Range STEPS = Range.between(0, 1_000_000);
    /** A factor on the learning rate. */
    public static final Range LR_FACTOR = Range.aboveAndAtMost(0, 1000);

    private ParamRanges() {}
}
