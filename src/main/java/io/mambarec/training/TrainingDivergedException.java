package io.mambarec.training;

/** The training loss became NaN or infinite: the run cannot continue. */
public class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(String message) {
        super(message);
    }
}
