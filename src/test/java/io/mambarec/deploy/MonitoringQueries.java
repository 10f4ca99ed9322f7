package io.mambarec.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The PromQL queries of the Grafana dashboard and the alert rules, and the metric names they use.
 * The name extraction knows just enough PromQL for our own queries: label matchers, grouping
 * clauses, range selectors, strings and numbers are removed; what remains as an identifier not
 * followed by "(" and not a keyword is a metric name.
 */
final class MonitoringQueries {

    /** Series Prometheus makes itself; every other name must come from the service. */
    static final Set<String> PROMETHEUS_OWN_SERIES = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");

    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "inf",
            "nan");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern LABEL_VALUES =
            Pattern.compile("label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private MonitoringQueries() {}

    /** Panel and variable queries of the dashboard, keyed by where they are ("panel title / refId"). */
    static Map<String, String> dashboardQueries() {
        JsonNode dashboard = ProjectFiles.json(ProjectFiles.read(ProjectFiles.DASHBOARD));
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(
                        panel.path("title").asString() + " / "
                                + target.path("refId").asString(),
                        target.path("expr").asString());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asString())) {
                String query = variable.path("query").path("query").asString();
                Matcher labelValues = LABEL_VALUES.matcher(query);
                queries.put(
                        "variable " + variable.path("name").asString(),
                        labelValues.matches() ? labelValues.group(1) : query);
            }
        }
        return queries;
    }

    /** Alert expressions keyed by alert name. */
    @SuppressWarnings("unchecked")
    static Map<String, String> alertQueries() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>)
                ProjectFiles.yaml(ProjectFiles.ALERT_RULES).get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                queries.put(
                        "alert " + rule.get("alert"),
                        String.valueOf(rule.get("expr")).strip());
            }
        }
        return queries;
    }

    static Map<String, String> allQueries() {
        Map<String, String> all = new LinkedHashMap<>(dashboardQueries());
        all.putAll(alertQueries());
        return all;
    }

    /** The metric names one PromQL expression selects. */
    static Set<String> metricNames(String promql) {
        String stripped = promql.replaceAll("\"(\\\\.|[^\"\\\\])*\"", " ") // strings
                .replaceAll("\\{[^}]*}", " ") // label matchers
                .replaceAll("\\[[^]]*]", " "); // range selectors and subqueries
        stripped = GROUPING.matcher(stripped).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(stripped);
        while (identifier.find()) {
            String word = identifier.group();
            boolean isFunctionCall =
                    stripped.substring(identifier.end()).stripLeading().startsWith("(");
            boolean partOfNumber = identifier.start() > 0
                    && (Character.isDigit(stripped.charAt(identifier.start() - 1))
                            || stripped.charAt(identifier.start() - 1) == '.');
            if (!isFunctionCall && !partOfNumber && !KEYWORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    /** The queries with Grafana's variables replaced by values Prometheus accepts. */
    static Map<String, String> withGrafanaVariablesResolved(Map<String, String> queries) {
        Map<String, String> resolved = new LinkedHashMap<>();
        queries.forEach((where, query) -> resolved.put(
                where,
                query.replace("$__rate_interval", "1m")
                        .replace("$__interval", "15s")
                        .replace("$__range", "1h")
                        .replace("$instance", ".*")));
        return resolved;
    }

    static List<String> names(Map<String, String> queries) {
        List<String> names = new ArrayList<>();
        queries.values().forEach(q -> names.addAll(metricNames(q)));
        return names;
    }
}
