package io.mambarec.cli;

import io.mambarec.evaluation.RankingMetrics;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** Prints metric maps as a table: one row per split, columns Recall/NDCG/Precision/MAP at 5..50. */
final class MetricsTable {

    private MetricsTable() {}

    static void print(PrintWriter out, Map<String, Map<String, Double>> rows) {
        String[] keys = RankingMetrics.keys();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-6s", ""));
        for (String key : keys) {
            header.append(String.format(Locale.ROOT, " %12s", key));
        }
        out.println(header);
        rows.forEach((name, metrics) -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-6s", name));
            for (String key : keys) {
                line.append(String.format(Locale.ROOT, " %12.4f", metrics.getOrDefault(key, Double.NaN)));
            }
            out.println(line);
        });
        out.flush();
    }
}
