package io.mambarec.registry;

import io.mambarec.model.ModelArtifact;
import io.mambarec.storage.ModelVersionSource;
import java.util.Map;
import java.util.UUID;

/**
 * A version to store: the artifact, its metrics, its configuration (hyper-parameters and the
 * settings it was trained with) and its provenance.
 *
 * @param jobId the retraining job that made it; null for a bootstrap model
 */
public record NewModelVersion(
        ModelArtifact artifact,
        ModelMetrics metrics,
        Map<String, Object> config,
        UUID jobId,
        ModelVersionSource source) {}
