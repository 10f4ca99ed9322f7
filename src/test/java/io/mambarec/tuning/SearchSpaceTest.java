package io.mambarec.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.model.Hyperparameters;
import io.mambarec.model.Models;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

    private static final Hyperparameters MAMBAREC = Models.get("mambarec").resolve(Map.of());

    @Test
    void afterTheDefaultsNeighboursOfTheIncumbentAlternateWithRandomPoints() {
        SearchSpace space = new SearchSpace(MAMBAREC, Set.of(), 7);
        Map<String, String> defaults = space.next(null);
        Map<String, String> incumbent = new LinkedHashMap<>(defaults);
        incumbent.put("layers", "2");
        incumbent.put("learning_rate", "0.005"); // the last of its values: a step can only go back
        for (int k = 0; k < 10; k++) {
            Map<String, String> neighbour = space.next(incumbent);
            assertThat(differences(neighbour, incumbent))
                    .as("point %d", 2 + 2 * k)
                    .hasSize(1);
            String key = differences(neighbour, incumbent).get(0);
            List<String> values = SearchSpace.VALUES.get(key);
            assertThat(Math.abs(values.indexOf(neighbour.get(key)) - values.indexOf(incumbent.get(key))))
                    .isEqualTo(1);
            space.next(incumbent); // a random point
        }
    }

    @Test
    void withoutAnIncumbentEveryPointAfterTheDefaultsIsRandom() {
        SearchSpace space = new SearchSpace(MAMBAREC, Set.of(), 7);
        Map<String, String> defaults = space.next(null);
        List<Integer> distances = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            distances.add(differences(space.next(null), defaults).size());
        }
        assertThat(distances).anyMatch(d -> d > 2);
    }

    @Test
    void aSeedAndTheSameIncumbentsGiveTheSamePoints() {
        SearchSpace a = new SearchSpace(MAMBAREC, Set.of(), 11);
        SearchSpace b = new SearchSpace(MAMBAREC, Set.of(), 11);
        Map<String, String> defaults = a.next(null);
        assertThat(b.next(null)).isEqualTo(defaults);
        for (int k = 0; k < 30; k++) {
            assertThat(b.next(defaults)).isEqualTo(a.next(defaults));
        }
    }

    @Test
    void everyNeighbourTriedGivesWayToRandomPointsWithoutRepeats() {
        // one searched setting left (the others fixed): layers has 4 values, 3 of them neighbours at most
        SearchSpace space = new SearchSpace(
                MAMBAREC,
                Set.of("cl_weight", "mmd_weight", "mmd_bandwidth", "reg_weight", "knn_k", "learning_rate", "patience"),
                3);
        Map<String, String> defaults = space.next(null);
        List<Map<String, String>> points = new ArrayList<>(List.of(defaults));
        for (int k = 0; k < 3; k++) {
            points.add(space.next(defaults));
        }
        assertThat(points).doesNotHaveDuplicates();
        assertThat(points).extracting(p -> p.get("layers")).containsExactlyInAnyOrder("1", "2", "3", "4");
    }

    private static List<String> differences(Map<String, String> a, Map<String, String> b) {
        return a.keySet().stream().filter(k -> !a.get(k).equals(b.get(k))).toList();
    }
}
