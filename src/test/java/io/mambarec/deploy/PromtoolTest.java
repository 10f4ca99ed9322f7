package io.mambarec.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** promtool (Debian package prometheus) checks the scrape config, the alert rules and their unit tests. */
class PromtoolTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void scrapeConfigIsValid() {
        ExternalTool.Result check = ExternalTool.PROMTOOL.run(
                TIMEOUT, ProjectFiles.ROOT, "check", "config", ProjectFiles.PROMETHEUS_CONFIG.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        // the config's rule file is found and checked too
        assertThat(check.output())
                .contains("SUCCESS: 1 rule files found")
                .contains("is valid prometheus config file syntax");
    }

    @Test
    void alertRulesAreValid() {
        ExternalTool.Result check = ExternalTool.PROMTOOL.run(
                TIMEOUT, ProjectFiles.ROOT, "check", "rules", ProjectFiles.ALERT_RULES.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).containsPattern("SUCCESS: \\d+ rules found");
    }

    @Test
    void alertRulesPassTheirUnitTests() {
        ExternalTool.Result test = ExternalTool.PROMTOOL.run(
                TIMEOUT, ProjectFiles.ROOT, "test", "rules", ProjectFiles.ALERT_RULE_TESTS.toString());
        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void everyAlertHasAUnitTestAndASeverity() {
        String tests = ProjectFiles.read(ProjectFiles.ALERT_RULE_TESTS);
        MonitoringQueries.alertQueries().keySet().stream()
                .map(key -> key.substring("alert ".length()))
                .forEach(alert -> assertThat(tests)
                        .as("a promtool unit test for %s", alert)
                        .contains("alertname: " + alert));
        assertThat(ProjectFiles.read(ProjectFiles.ALERT_RULES).split("- alert:", -1).length - 1)
                .isEqualTo(ProjectFiles.read(ProjectFiles.ALERT_RULES).split("severity:", -1).length - 1);
    }

    @Test
    void promtoolRejectsABrokenRule(@TempDir Path dir) throws IOException {
        // the checks above are only worth something if promtool says no to a broken expression
        Path broken = Files.writeString(dir.resolve("broken.yml"), """
                groups:
                  - name: broken
                    rules:
                      - alert: Broken
                        expr: rate(mambarec_recommend_requests_total[5m]
                """);
        ExternalTool.Result check = ExternalTool.PROMTOOL.run(TIMEOUT, dir, "check", "rules", broken.toString());
        assertThat(check.exitCode()).isNotZero();
    }
}
