package io.mambarec.tuning;

import java.util.List;
import java.util.Map;

/**
 * What {@code auto} did: the budget and how much of it was used, the search's settings, the
 * chosen point, the popularity ranking's validation Recall@20 the choice had to beat, and every
 * point tried with its validation Recall@20 and epochs.
 *
 * @param method {@code hyperband} (brackets hedged, {@link BracketSchedule#HEDGED}), or
 *     {@code successive-halving} for a search resumed from a journal written before the hedge
 * @param budgetMinutes the wall-clock budget
 * @param elapsedSeconds the search's time, the chosen model's rebuild excluded; a resumed search's
 *     includes its earlier attempts' wall time up to their last saved state
 * @param resumedAfterSeconds of that, the earlier attempts' time (0: not resumed)
 * @param budgetSpent true when the budget, not the search, ended it
 * @param settings the halving's settings
 * @param chosenPoint the number of the chosen point
 * @param popularValidRecall20 the popularity ranking's validation Recall@20 (items counted on the training split)
 * @param beatsPopularity true when the chosen point's validation Recall@20 beats it
 * @param points every point tried, in order
 * @param ensemble the runs of the chosen setting the result combines (null in reports written before ensembles)
 */
public record SearchReport(
        String method,
        double budgetMinutes,
        double elapsedSeconds,
        double resumedAfterSeconds,
        boolean budgetSpent,
        SearchSettings settings,
        int chosenPoint,
        double popularValidRecall20,
        boolean beatsPopularity,
        List<Point> points,
        Ensemble ensemble) {

    /** The method of a search on {@code schedule}. */
    public static String method(BracketSchedule schedule) {
        return schedule == BracketSchedule.HEDGED ? "hyperband" : "successive-halving";
    }

    /**
     * One point tried.
     *
     * @param point its number (1: the defaults)
     * @param bracket the bracket that drew it
     * @param settings the searched keys' values
     * @param epochs epochs trained
     * @param bestEpoch 1-based epoch of its best validation Recall@20
     * @param validRecall20 its best validation Recall@20 (null: it diverged)
     * @param outcome how it ended ("stopped after rung 1 (5 epochs)", "survived; trained to the end; chosen", ...)
     */
    public record Point(
            int point,
            int bracket,
            Map<String, String> settings,
            int epochs,
            int bestEpoch,
            Double validRecall20,
            String outcome) {}

    /**
     * The seed ensemble of the chosen setting ({@link io.mambarec.model.SeedEnsemble}).
     *
     * @param asked runs the settings asked for at most (1: none beside the chosen run)
     * @param used members the result combines, chosen among the runs by validation
     * @param validRecall20 the result's validation Recall@20 (the ensemble's when {@code used > 1})
     * @param members every run: the chosen point's first, then each further seed's
     */
    public record Ensemble(int asked, int used, Double validRecall20, List<Member> members) {}

    /**
     * One run of the chosen setting.
     *
     * @param member the run's number, 1-based (1: the chosen point's run)
     * @param seed its seed
     * @param epochs epochs trained
     * @param bestEpoch 1-based epoch of its best validation Recall@20
     * @param validRecall20 its own best validation Recall@20 (null: none)
     * @param outcome whether it is a member of the result ("member 2 of 3"), or why not
     */
    public record Member(int member, long seed, int epochs, int bestEpoch, Double validRecall20, String outcome) {}
}
