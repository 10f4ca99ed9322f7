package io.mambarec.tuning;

/**
 * How a search's brackets differ: each bracket's first rung (epochs) and its most points.
 *
 * <p>{@link #HEDGED} is Hyperband's hedge (Li, Jamieson, DeSalvo, Rostamizadeh and Talwalkar,
 * JMLR 18(185), 2018) against the short-horizon bias of successive halving, which judges points
 * after {@code minEpochs} epochs and so stops settings that start slowly but end best. With s_max
 * = floor(log_eta(points)), bracket b has s = (b - 1) mod (s_max + 1) halvings' worth of
 * aggressiveness: its first rung is {@code minEpochs * eta^(s_max - s)} and it draws at most
 * ceil((s_max + 1) / (s + 1) * eta^s) points (Hyperband's n for bracket s; {@code points} for s =
 * s_max). The brackets run most conservative first: with the defaults (9 points, eta 3, 5 epochs)
 * bracket 1 judges at most 3 points (the paper's defaults first) after 45 epochs, bracket 2 at most
 * 5 after 15, bracket 3 at most 9 after 5, bracket 4 is bracket 1's kind again, and so on while the
 * budget lasts. A small budget therefore buys only the first bracket's first point: the defaults
 * trained to early stopping. Departure from Hyperband: every bracket halves until one point is
 * left, which then trains until early stopping (there is no maximum resource R), and the budget,
 * not a fixed count, decides how many brackets run.
 *
 * <p>{@link #PLAIN} starts every bracket at {@code minEpochs} with up to {@code points}: successive
 * halving repeated, the schedule of journals written before the hedge (so that such a search
 * resumes with its own decisions), and the baseline the hedge is tested against.
 */
public enum BracketSchedule {
    HEDGED,
    PLAIN;

    /** The schedule a journal names; a journal that names none predates the hedge. */
    static BracketSchedule of(String name) {
        if (name == null) {
            return PLAIN;
        }
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the search journal's schedule " + name
                            + " is unknown to this version: it cannot resume the search",
                    e);
        }
    }

    /** Epochs of bracket {@code bracket}'s first rung (1-based bracket). */
    public int firstRung(SearchSettings settings, int bracket) {
        if (this == PLAIN) {
            return settings.minEpochs();
        }
        long epochs =
                settings.minEpochs() * power(settings.eta(), mostHalvings(settings) - halvings(settings, bracket));
        return (int) Math.min(Integer.MAX_VALUE, epochs);
    }

    /** The most points bracket {@code bracket} draws (the budget may pay for fewer). */
    public int maxPoints(SearchSettings settings, int bracket) {
        if (this == PLAIN) {
            return settings.points();
        }
        int most = mostHalvings(settings);
        int s = halvings(settings, bracket);
        if (s == most) {
            return settings.points();
        }
        double n = Math.ceil((most + 1.0) / (s + 1) * power(settings.eta(), s));
        return (int) Math.min(settings.points(), n);
    }

    /** s_max: the halvings {@code points} allow, floor(log_eta(points)). */
    static int mostHalvings(SearchSettings settings) {
        int s = 0;
        for (long n = settings.eta(); n <= settings.points(); n *= settings.eta()) {
            s++;
        }
        return s;
    }

    /** Bracket {@code bracket}'s s: 0 (most conservative) for brackets 1, s_max + 2, ... */
    private static int halvings(SearchSettings settings, int bracket) {
        return (bracket - 1) % (mostHalvings(settings) + 1);
    }

    private static long power(int base, int exponent) {
        long p = 1;
        for (int k = 0; k < exponent; k++) {
            p *= base;
        }
        return p;
    }
}
