package io.mambarec.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.metrics.MetricNames;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The dashboard and alert rules cover the service's meters; the name extraction the app-level check relies on works. */
class MonitoringQueriesTest {

    @Test
    void extractsMetricNamesFromPromql() {
        assertThat(
                        MonitoringQueries.metricNames(
                                "histogram_quantile(0.99, sum by (le, strategy) (rate(mambarec_recommend_seconds_bucket{instance=~\"$instance\"}[$__rate_interval])))"))
                .containsExactly("mambarec_recommend_seconds_bucket");
        assertThat(
                        MonitoringQueries.metricNames(
                                "sum by (instance) (jvm_memory_used_bytes{area=\"heap\"}) / sum by (instance) (jvm_memory_max_bytes{area=\"heap\"} > 0) > 0.9"))
                .containsExactly("jvm_memory_max_bytes", "jvm_memory_used_bytes");
        assertThat(MonitoringQueries.metricNames("max(a_total) != min(b) and on (x) c offset 5m or up == 1e3"))
                .containsExactly("a_total", "b", "c", "up");
    }

    @Test
    void dashboardShowsEveryMeterOfTheService() {
        Set<String> used = Set.copyOf(MonitoringQueries.names(MonitoringQueries.dashboardQueries()));
        for (String meter : serviceMeters()) {
            String prometheusPrefix = meter.replace('.', '_');
            assertThat(used).as("dashboard panel for meter %s", meter).anyMatch(n -> n.startsWith(prometheusPrefix));
        }
        // and the standard Spring Boot meters: HTTP requests, JVM memory, CPU
        assertThat(used).contains("http_server_requests_seconds_count", "jvm_memory_used_bytes", "process_cpu_usage");
    }

    @Test
    void dashboardPanelsAllHaveQueriesAndUniqueIds() {
        var dashboard = ProjectFiles.json(ProjectFiles.read(ProjectFiles.DASHBOARD));
        List<Integer> ids = new java.util.ArrayList<>();
        for (var panel : dashboard.path("panels")) {
            ids.add(panel.path("id").asInt());
            if (!"row".equals(panel.path("type").asString())) {
                assertThat(panel.path("targets").size())
                        .as("queries of panel %s", panel.path("title").asString())
                        .isPositive();
            }
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(dashboard.path("uid").asString()).isEqualTo("mambarec");
    }

    /** The values of MetricNames' constants: the service's own meter names. */
    static List<String> serviceMeters() {
        return Arrays.stream(MetricNames.class.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(MonitoringQueriesTest::value)
                .toList();
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
