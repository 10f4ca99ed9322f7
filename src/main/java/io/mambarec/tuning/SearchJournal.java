package io.mambarec.tuning;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a search has decided and spent so far, saved after every decision and every epoch so that an
 * interrupted search resumes where it was ({@link SuccessiveHalving}): the points drawn, each
 * bracket's size (chosen from measured seconds per epoch, so it is kept, not recomputed), each rung's
 * kept and stopped points, and the wall time and training time spent. A point's trained state lives
 * in its own checkpoint ({@link SearchStore#point}); a stopped point's figures live here.
 *
 * <p>Stored as JSON ({@link #toJson}, {@link #fromJson}) across versions of the code: an attempt may
 * resume a journal an older or a newer version wrote. Reading ignores fields it does not know (a
 * newer version's) and takes a field it misses (an older version's) as null, zero or false; so a
 * journal without {@code schedule} resumes on {@link BracketSchedule#PLAIN}.
 *
 * @param elapsedSeconds the search's wall time up to this save (earlier attempts included)
 * @param trainingSeconds seconds spent in the points' training, measured over whole advances
 * @param epochsTrained epochs those seconds paid for (seconds per epoch = their ratio)
 * @param current the point being trained at this save (0: none)
 * @param points every point drawn, in order
 * @param brackets every bracket whose size is decided, in order
 * @param schedule the brackets' {@link BracketSchedule} (null in journals written before it: plain)
 */
public record SearchJournal(
        double elapsedSeconds,
        double trainingSeconds,
        long epochsTrained,
        int current,
        List<Point> points,
        List<Bracket> brackets,
        String schedule) {

    /** Explicit about what Jackson's defaults leave to the version: unknown and missing fields are tolerated. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** The journal as stored. */
    public String toJson() {
        return JSON.writeValueAsString(this);
    }

    /** A stored journal, written by this version of the code or another. */
    public static SearchJournal fromJson(String json) {
        return JSON.readValue(json, SearchJournal.class);
    }

    /**
     * A point as it stood at the save.
     *
     * @param number its number (1: the defaults)
     * @param bracket the bracket that drew it
     * @param settings the searched keys' values
     * @param epochs epochs trained
     * @param bestEpoch 1-based epoch of its best validation Recall@20
     * @param validRecall20 its best validation Recall@20 (null: none yet, or diverged)
     * @param failure why it diverged, or null
     * @param outcome how it ended ("running" while it may train on)
     * @param released true once stopped and its checkpoint freed: never trained again
     */
    public record Point(
            int number,
            int bracket,
            Map<String, String> settings,
            int epochs,
            int bestEpoch,
            Double validRecall20,
            String failure,
            String outcome,
            boolean released) {}

    /**
     * A bracket: how many points it draws, and its rungs decided so far.
     *
     * @param bracket its number
     * @param points its points
     * @param rungs its decided rungs, in order
     */
    public record Bracket(int bracket, int points, List<Rung> rungs) {}

    /**
     * A rung's decision.
     *
     * @param rung its number in the bracket
     * @param epochs the epochs its points trained to
     * @param kept the points it kept, best first
     * @param stopped the points it stopped
     */
    public record Rung(int rung, int epochs, List<Integer> kept, List<Integer> stopped) {}

    Optional<Point> point(int number) {
        return number >= 1 && number <= points.size() ? Optional.of(points.get(number - 1)) : Optional.empty();
    }

    /** Epochs trained by all points (the job's epoch count). */
    public int totalEpochs() {
        return points.stream().mapToInt(Point::epochs).sum();
    }
}
