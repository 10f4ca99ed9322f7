package io.mambarec.tuning;

import static io.mambarec.tuning.SuccessiveHalvingTest.BY_SETTINGS;
import static io.mambarec.tuning.SuccessiveHalvingTest.DEFAULTS;
import static io.mambarec.tuning.SuccessiveHalvingTest.NINE_BY_THREE;
import static io.mambarec.tuning.SuccessiveHalvingTest.decisions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mambarec.tuning.SuccessiveHalvingTest.Search;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The journal as a job stores it (JSON, {@link SearchJournal#toJson}) read back by this version and
 * resumed: one written now, one a newer version wrote (fields this version does not know, at every
 * level) and one an older version wrote (no {@code schedule}). The resumed searches make the
 * uninterrupted one's decisions.
 */
class SearchJournalJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A journal in the middle of the search: brackets and a rung decided, points stopped and running. */
    private static SearchJournal afterFirstRung(Search search) {
        return search.journals.stream()
                .filter(j ->
                        !j.brackets().isEmpty() && !j.brackets().get(0).rungs().isEmpty())
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aJournalWrittenByThisVersionReadsBackEqualAndResumesTheSearch() {
        Search whole = new Search(7, DEFAULTS, Duration.ofHours(10), 1, 60);
        for (SearchJournal journal : whole.journals) {
            assertThat(SearchJournal.fromJson(journal.toJson())).isEqualTo(journal);
        }
        SearchJournal stored = afterFirstRung(whole);
        assertThat(stored.schedule()).isEqualTo("HEDGED");
        assertThat(stored.points()).anyMatch(SearchJournal.Point::released);

        Search resumed = new Search(
                BracketSchedule.PLAIN,
                7,
                DEFAULTS,
                Duration.ofHours(10),
                1,
                60,
                BY_SETTINGS,
                SearchJournal.fromJson(stored.toJson()),
                true);
        assertThat(decisions(resumed.log)).isEqualTo(decisions(whole.log));
        assertThat(resumed.outcome.winner().number())
                .isEqualTo(whole.outcome.winner().number());
        assertThat(resumed.outcome.schedule()).isEqualTo(BracketSchedule.HEDGED);
    }

    @Test
    void fieldsANewerVersionAddedAreIgnoredAtEveryLevel() {
        Search whole = new Search(7, DEFAULTS, Duration.ofHours(10), 1, 60);
        SearchJournal stored = afterFirstRung(whole);
        ObjectNode newer = (ObjectNode) JSON.readTree(stored.toJson());
        newer.put("formatVersion", 2);
        newer.putObject("hostInfo").put("cpus", 64).putArray("flags").add("x");
        for (JsonNode point : newer.get("points")) {
            ((ObjectNode) point).put("wallSeconds", 12.5).putArray("history").add(0.1);
        }
        for (JsonNode bracket : newer.get("brackets")) {
            ((ObjectNode) bracket).put("firstRungEpochs", 45);
            for (JsonNode rung : bracket.get("rungs")) {
                ((ObjectNode) rung).putObject("scores").put("1", 0.1);
            }
        }
        assertThat(JSON.writeValueAsString(newer))
                .contains("formatVersion", "wallSeconds", "firstRungEpochs", "scores");

        SearchJournal read = SearchJournal.fromJson(JSON.writeValueAsString(newer));
        assertThat(read).isEqualTo(stored);
        Search resumed =
                new Search(BracketSchedule.PLAIN, 7, DEFAULTS, Duration.ofHours(10), 1, 60, BY_SETTINGS, read, true);
        assertThat(decisions(resumed.log)).isEqualTo(decisions(whole.log));
    }

    @Test
    void aJournalAnOlderVersionWroteWithoutScheduleResumesOnThePlainSchedule() {
        Search plain = new Search(
                BracketSchedule.PLAIN, 7, NINE_BY_THREE, Duration.ofHours(10), 1, 100, BY_SETTINGS, null, true);
        ObjectNode older = (ObjectNode) JSON.readTree(afterFirstRung(plain).toJson());
        assertThat(older.remove("schedule")).isNotNull();

        SearchJournal read = SearchJournal.fromJson(JSON.writeValueAsString(older));
        assertThat(read.schedule()).isNull();
        assertThat(read.points()).isEqualTo(afterFirstRung(plain).points());
        // a new search would be hedged; the journal's own (plain) schedule is kept
        Search resumed = new Search(
                BracketSchedule.HEDGED, 7, NINE_BY_THREE, Duration.ofHours(10), 1, 100, BY_SETTINGS, read, true);
        assertThat(decisions(resumed.log)).isEqualTo(decisions(plain.log));
        assertThat(resumed.outcome.winner().number())
                .isEqualTo(plain.outcome.winner().number());
        assertThat(resumed.outcome.schedule()).isEqualTo(BracketSchedule.PLAIN);
        assertThat(resumed.journals.get(resumed.journals.size() - 1).toJson()).contains("\"schedule\":\"PLAIN\"");

        // a number it misses reads as zero
        assertThat(older.remove("current").asInt()).isPositive();
        assertThat(SearchJournal.fromJson(JSON.writeValueAsString(older)).current())
                .isZero();
    }

    @Test
    void aScheduleANewerVersionAddedIsRefusedByName() {
        Search whole = new Search(7, DEFAULTS, Duration.ofHours(10), 1, 60);
        ObjectNode newer = (ObjectNode) JSON.readTree(afterFirstRung(whole).toJson());
        newer.put("schedule", "ASYNCHRONOUS");
        SearchJournal read = SearchJournal.fromJson(JSON.writeValueAsString(newer));
        assertThatThrownBy(() -> new Search(
                        BracketSchedule.HEDGED, 7, DEFAULTS, Duration.ofHours(10), 1, 60, BY_SETTINGS, read, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ASYNCHRONOUS is unknown to this version");
    }
}
