package io.mambarec.tuning;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A wall-clock budget that started when this was made. */
public final class Deadline {

    private final LongSupplier nanoClock;
    private final long start;
    private final long budgetNanos;

    Deadline(Duration budget, LongSupplier nanoClock) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("the budget must be positive, not " + budget);
        }
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.budgetNanos = budget.toNanos();
    }

    public static Deadline after(Duration budget) {
        return new Deadline(budget, System::nanoTime);
    }

    public boolean passed() {
        return elapsedNanos() >= budgetNanos;
    }

    long elapsedNanos() {
        return nanoClock.getAsLong() - start;
    }

    public double elapsedSeconds() {
        return elapsedNanos() / 1e9;
    }

    public double remainingSeconds() {
        return Math.max(0, budgetNanos - elapsedNanos()) / 1e9;
    }

    public double budgetSeconds() {
        return budgetNanos / 1e9;
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }
}
