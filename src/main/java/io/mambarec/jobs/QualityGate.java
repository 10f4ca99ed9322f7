package io.mambarec.jobs;

import io.mambarec.config.MambaRecProperties;
import io.mambarec.data.Dataset;
import io.mambarec.metrics.ServiceMetrics;
import io.mambarec.model.Embeddings;
import io.mambarec.registry.ActiveVersionChanged;
import io.mambarec.registry.ModelRegistry;
import io.mambarec.role.TrainingRole;
import io.mambarec.serving.ServingModel;
import java.util.Locale;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Decides whether a trained candidate replaces what is served. All three are measured on the job's
 * own holdout (test split) with the full-ranking protocol ({@link HoldoutRecall}): the candidate,
 * the popularity ranking from the job's training split (the floor: a model that does not beat
 * "most popular" is worse than serving no model), and the registry's active version. The candidate
 * is activated only if it beats popularity and is not below the active version; {@code force}
 * overrides both.
 */
@Component
@TrainingRole
public class QualityGate {

    /** The gate's figures and verdict; {@code active} is null when no version is active. */
    public record Decision(
            boolean passed, String reason, double candidate, double popular, Double active, Long activeVersion) {

        String explanation() {
            return switch (reason) {
                case "below-popularity" ->
                    String.format(
                            Locale.ROOT,
                            "quality gate: candidate test Recall@20 %.4f"
                                    + " does not beat the popularity ranking's %.4f on this holdout",
                            candidate,
                            popular);
                case "below-popularity-on-validation" ->
                    "quality gate: no setting the search tried beats the"
                            + " popularity ranking's validation Recall@20";
                case "below-active" ->
                    String.format(
                            Locale.ROOT,
                            "quality gate: candidate test Recall@20 %.4f is"
                                    + " below active version %d's %.4f on this holdout",
                            candidate,
                            activeVersion,
                            active);
                default -> null;
            };
        }
    }

    private final ModelRegistry registry;
    private final ServiceMetrics metrics;
    private final boolean popularityFloor;
    /**
     * The active version's serving model as this process last loaded or activated it: a stored
     * version never changes, so a job loads the active version only when another one became active.
     */
    private volatile ServingModel lastActive;

    public QualityGate(ModelRegistry registry, ServiceMetrics metrics, MambaRecProperties properties) {
        this.registry = registry;
        this.metrics = metrics;
        this.popularityFloor = properties.retrain().gate().popularityFloor();
    }

    public Decision judge(Dataset data, Embeddings candidateEmbeddings, boolean force) {
        return judge(data, candidateEmbeddings, force, true);
    }

    /**
     * As {@link #judge(Dataset, Embeddings, boolean)}, for a candidate chosen by a search that
     * compared it with the popularity ranking on validation: when no setting beat popularity there
     * ({@code beatsPopularityOnValidation} false) the floor rejects it whatever the holdout says.
     */
    public Decision judge(
            Dataset data, Embeddings candidateEmbeddings, boolean force, boolean beatsPopularityOnValidation) {
        double candidate = HoldoutRecall.ofCandidate(data, candidateEmbeddings);
        double popular = HoldoutRecall.ofPopularity(data);
        Optional<Long> activeVersion = registry.activeVersion();
        Double active = activeVersion
                .map(v -> HoldoutRecall.ofServed(data, activeModel(v)))
                .orElse(null);
        String reason;
        if (force) {
            reason = "forced";
        } else if (popularityFloor && !beatsPopularityOnValidation) {
            reason = "below-popularity-on-validation";
        } else if (popularityFloor && !(candidate > popular)) {
            reason = "below-popularity";
        } else if (active != null && candidate < active) {
            reason = "below-active";
        } else {
            reason = "passed";
        }
        boolean passed = !reason.startsWith("below");
        metrics.gateDecision(passed, reason);
        return new Decision(passed, reason, candidate, popular, active, activeVersion.orElse(null));
    }

    /** A version activated in this process (a job's candidate, a rollback) comes with its serving model. */
    @EventListener
    public void onActivated(ActiveVersionChanged event) {
        if (event.model() != null) {
            lastActive = event.model();
        }
    }

    private ServingModel activeModel(long version) {
        ServingModel known = lastActive;
        if (known == null || known.version() != version) {
            known = registry.load(version);
            lastActive = known;
        }
        return known;
    }
}
