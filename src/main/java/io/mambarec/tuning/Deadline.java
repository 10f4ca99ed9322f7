package io.mambarec.tuning;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A wall-clock budget that started when this was made, or earlier: a resumed search's deadline counts
 * the seconds its earlier attempts spent.
 */
public final class Deadline {

    private final LongSupplier nanoClock;
    private final long start;
    private final long budgetNanos;

    Deadline(Duration budget, LongSupplier nanoClock) {
        this(budget, 0, nanoClock);
    }

    Deadline(Duration budget, double spentSeconds, LongSupplier nanoClock) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("the budget must be positive, not " + budget);
        }
        this.nanoClock = nanoClock;
        if (!(spentSeconds >= 0)) {
            throw new IllegalArgumentException("the time spent must be >= 0, not " + spentSeconds);
        }
        this.start = nanoClock.getAsLong() - (long) (spentSeconds * 1e9);
        this.budgetNanos = budget.toNanos();
    }

    public static Deadline after(Duration budget) {
        return new Deadline(budget, System::nanoTime);
    }

    /** A budget of which {@code spentSeconds} were spent already (by a search's earlier attempts). */
    public static Deadline after(Duration budget, double spentSeconds) {
        return new Deadline(budget, spentSeconds, System::nanoTime);
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
