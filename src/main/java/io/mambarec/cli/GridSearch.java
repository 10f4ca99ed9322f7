package io.mambarec.cli;

import io.mambarec.evaluation.RankingMetrics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code --grid key=v1,v2,...} options: their cartesian product, and the per-point report. */
final class GridSearch {

    private GridSearch() {}

    /** Every combination of the grid's values (one empty point without a grid), first key slowest. */
    static List<Map<String, String>> points(List<String> grid, Collection<String> fixedKeys) {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (String option : grid) {
            int eq = option.indexOf('=');
            if (eq <= 0 || eq == option.length() - 1) {
                throw new IllegalArgumentException("--grid takes KEY=V1,V2,..., not '" + option + "'");
            }
            String key = option.substring(0, eq).trim();
            if (axes.containsKey(key) || fixedKeys.contains(key)) {
                throw new IllegalArgumentException("'" + key + "' is given twice (in --grid or --param)");
            }
            List<String> values = new ArrayList<>();
            for (String v : option.substring(eq + 1).split(",")) {
                if (v.isBlank()) {
                    throw new IllegalArgumentException("--grid " + option + " has an empty value");
                }
                values.add(v.trim());
            }
            axes.put(key, values);
        }
        List<Map<String, String>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> point : points) {
                for (String value : axis.getValue()) {
                    Map<String, String> extended = new LinkedHashMap<>(point);
                    extended.put(axis.getKey(), value);
                    next.add(extended);
                }
            }
            points = next;
        }
        return points;
    }

    static void printTable(PrintWriter out, List<RunResult.GridPoint> results) {
        out.println("grid (chosen by validation Recall@20):");
        out.printf(
                Locale.ROOT,
                "%-40s %6s %6s %10s %10s %10s %8s%n",
                "point",
                "best",
                "epochs",
                "valid R@20",
                "test R@20",
                "test N@20",
                "s/epoch");
        for (RunResult.GridPoint r : results) {
            out.printf(
                    Locale.ROOT,
                    "%-40s %6d %6d %10.4f %10.4f %10.4f %8.2f%n",
                    r.point(),
                    r.bestEpoch(),
                    r.epochs(),
                    r.valid().get(RankingMetrics.RECALL_20),
                    r.test().get(RankingMetrics.RECALL_20),
                    r.test().get(RankingMetrics.NDCG_20),
                    r.secondsPerEpoch());
        }
        out.flush();
    }
}
