package io.mambarec.training;

import ai.djl.training.tracker.ParameterTracker;

/**
 * The learning-rate schedule, per epoch: lr(e) = learning_rate * lr_decay^(e / lr_decay_epochs)
 * with e the 0-based epoch index (real division, not integer). This is PyTorch's LambdaLR as
 * MMRec and the MambaRec code use it: the scheduler is built with factor(0) = 1 and stepped after
 * each epoch, so the first epoch trains at learning_rate and epoch e (0-based) at factor(e).
 * The trainer sets the epoch; Adam asks for the rate at every update.
 */
public final class EpochLearningRate implements ParameterTracker {

    private final double base;
    private final double decay;
    private final int decayEpochs;
    private volatile int epoch;

    public EpochLearningRate(double base, double decay, int decayEpochs) {
        if (decayEpochs <= 0) {
            throw new IllegalArgumentException("lr_decay_epochs must be positive, not " + decayEpochs);
        }
        this.base = base;
        this.decay = decay;
        this.decayEpochs = decayEpochs;
    }

    /** Sets the 0-based index of the epoch about to be trained. */
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    public double rateAt(int epoch) {
        return base * Math.pow(decay, (double) epoch / decayEpochs);
    }

    @Override
    public float getNewValue(String parameterId, int numUpdate) {
        return (float) rateAt(epoch);
    }
}
