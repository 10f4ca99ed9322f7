package io.mambarec.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.Interactions;
import io.mambarec.metrics.MetricNames;
import io.mambarec.model.Embeddings;
import io.mambarec.model.ModelArtifact;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.registry.ModelMetrics;
import io.mambarec.registry.ModelRegistry;
import io.mambarec.registry.NewModelVersion;
import io.mambarec.storage.ModelVersionSource;
import io.mambarec.storage.ModelVersionStatus;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.PostgresTestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * The gate's floor with nothing served: on a catalogue where the held-out items are the popular
 * ones, a candidate that ranks them last does not beat the popularity ranking and is rejected
 * (unless forced); one that ranks them first passes. Hand-built dataset and embeddings, so each
 * figure is known: popularity and the good candidate hit every held-out item, the bad one none.
 */
@PostgresSpringBootTest
class QualityGateTest {

    private static final int USERS = 40;
    private static final int ITEMS = 50;

    @Autowired
    QualityGate gate;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @MockitoSpyBean
    ModelRegistry registry;

    @BeforeEach
    void emptyRegistry() {
        PostgresTestDatabase.truncateAll(dataSource);
    }

    /** Items 0-9 are popular (every user saw 5 of them); each user's test item is another popular one. */
    private static Dataset popularHeldOut() {
        List<int[]> train = new ArrayList<>();
        List<int[]> test = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            for (int k = 0; k < 5; k++) {
                train.add(new int[] {u, (u + k) % 10});
            }
            train.add(new int[] {u, 10 + u % 40});
            test.add(new int[] {u, (u + 5) % 10});
        }
        return new Dataset(
                "popular-held-out",
                ids("u", USERS),
                ids("i", ITEMS),
                rows(train),
                rows(List.of()),
                rows(test),
                Map.of());
    }

    /** One dimension: users 1, items scored +count (like popularity) or -count (popular items last). */
    private static Embeddings ranking(Dataset data, float sign) {
        float[] counts = new float[ITEMS];
        for (int item : data.train().items()) {
            counts[item] += sign;
        }
        float[] users = new float[USERS];
        java.util.Arrays.fill(users, 1f);
        return new Embeddings(USERS, ITEMS, 1, users, counts);
    }

    @Test
    void aCandidateBelowPopularityIsRejectedWithNothingServed() {
        Dataset data = popularHeldOut();
        QualityGate.Decision decision = gate.judge(data, ranking(data, -1f), false);
        assertThat(decision.popular()).isEqualTo(1.0);
        assertThat(decision.candidate()).isEqualTo(0.0);
        assertThat(decision.active()).isNull();
        assertThat(decision.passed()).isFalse();
        assertThat(decision.reason()).isEqualTo("below-popularity");
        assertThat(decision.explanation()).contains("does not beat the popularity ranking");
        assertThat(meters.get(MetricNames.GATE_LAST_PASSED).gauge().value()).isZero();
    }

    @Test
    void forceOverridesTheFloor() {
        Dataset data = popularHeldOut();
        QualityGate.Decision decision = gate.judge(data, ranking(data, -1f), true);
        assertThat(decision.passed()).isTrue();
        assertThat(decision.reason()).isEqualTo("forced");
        assertThat(meters.get(MetricNames.GATE_LAST_PASSED).gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aCandidateThatOnlyTiesPopularityDoesNotBeatIt() {
        Dataset data = popularHeldOut();
        QualityGate.Decision decision = gate.judge(data, ranking(data, 1f), false);
        assertThat(decision.candidate()).isEqualTo(decision.popular());
        assertThat(decision.passed()).isFalse();
    }

    @Test
    void aSearchWhosePointsAllFellBelowPopularityOnValidationIsRejected() {
        Dataset data = popularHeldOut();
        // the holdout alone would let this candidate pass; the search's validation verdict does not
        QualityGate.Decision decision = gate.judge(data, ranking(data, 1f), false, false);
        assertThat(decision.passed()).isFalse();
        assertThat(decision.reason()).isEqualTo("below-popularity-on-validation");
        assertThat(decision.explanation()).contains("no setting the search tried beats the popularity ranking");
        assertThat(gate.judge(data, ranking(data, 1f), true, false).reason()).isEqualTo("forced");
    }

    @Test
    void theActiveVersionIsMeasuredOnEachJobsHoldoutAndLoadedOncePerVersion() {
        Dataset data = popularHeldOut();
        // another process activated version 1: this one loads it for the first job only
        long first = registry.store(version(data, 1), ModelVersionStatus.INACTIVE);
        new JdbcTemplate(dataSource).update("UPDATE model_version SET status = 'ACTIVE' WHERE version = ?", first);
        double firstRecall = HoldoutRecall.ofServed(data, registry.load(first));
        clearInvocations(registry);

        QualityGate.Decision decision = gate.judge(data, ranking(data, -1f), false);
        assertThat(decision.activeVersion()).isEqualTo(first);
        assertThat(decision.active()).isEqualTo(firstRecall);
        Dataset later = withoutUser(data, 0); // the next job's snapshot: the figure is measured on it
        QualityGate.Decision next = gate.judge(later, ranking(later, -1f), false);
        assertThat(next.active()).isEqualTo(HoldoutRecall.ofServed(later, registry.load(first)));
        verify(registry, times(2)).load(first); // once by the gate, once by this test

        // a version this process activates comes with its serving model: no load at all
        NewModelVersion second = version(data, 2);
        long secondVersion = registry.storeAndActivate(second, ModelRegistry.embeddingsOf(second.artifact()));
        clearInvocations(registry);
        QualityGate.Decision afterActivation = gate.judge(data, ranking(data, -1f), false);
        assertThat(afterActivation.activeVersion()).isEqualTo(secondVersion);
        verify(registry, never()).load(anyLong());
        assertThat(afterActivation.active()).isEqualTo(HoldoutRecall.ofServed(data, registry.load(secondVersion)));
    }

    /** An untrained BPR model of {@code data}: a random ranking, with a figure of its own on the holdout. */
    private static NewModelVersion version(Dataset data, long seed) {
        ModelDefinition bpr = Models.get("bpr");
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = bpr.create(data, bpr.resolve(Map.of()), manager, seed)) {
            return new NewModelVersion(
                    ModelArtifact.of(model, data, seed),
                    new ModelMetrics(Map.of(), Map.of()),
                    Map.of(),
                    null,
                    ModelVersionSource.BOOTSTRAP);
        }
    }

    /** {@code data} without one user's held-out interactions. */
    private static Dataset withoutUser(Dataset data, int user) {
        List<int[]> test = new ArrayList<>();
        for (int k = 0; k < data.test().size(); k++) {
            if (data.test().users()[k] != user) {
                test.add(new int[] {data.test().users()[k], data.test().items()[k]});
            }
        }
        return new Dataset(
                data.name(), data.userIds(), data.itemIds(), data.train(), data.valid(), rows(test), Map.of());
    }

    private static Interactions rows(List<int[]> pairs) {
        return new Interactions(
                pairs.stream().mapToInt(p -> p[0]).toArray(),
                pairs.stream().mapToInt(p -> p[1]).toArray(),
                null);
    }

    private static List<String> ids(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(k -> prefix + k).toList();
    }
}
