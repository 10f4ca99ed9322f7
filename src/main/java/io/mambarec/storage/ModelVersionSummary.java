package io.mambarec.storage;

import java.time.Instant;
import java.util.UUID;

/** A model version without its parameter bytes: what {@code GET /models} lists. */
public record ModelVersionSummary(
        long version,
        String modelName,
        ModelVersionStatus status,
        String sha256,
        String metrics,
        String config,
        UUID jobId,
        ModelVersionSource source,
        Instant createdAt,
        Instant activatedAt,
        int formatVersion,
        Long seed,
        String codeVersion,
        String dataFingerprint,
        String settings) {

    public ModelVersionProvenance provenance() {
        return new ModelVersionProvenance(formatVersion, seed, codeVersion, dataFingerprint, settings);
    }
}
