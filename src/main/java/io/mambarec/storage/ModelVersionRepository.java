package io.mambarec.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface ModelVersionRepository extends JpaRepository<ModelVersion, Long> {

    String SUMMARY = "select new io.mambarec.storage.ModelVersionSummary(v.version, v.modelName, v.status, v.sha256,"
            + " v.metrics, v.config, v.jobId, v.source, v.createdAt, v.activatedAt,"
            + " v.formatVersion, v.seed, v.codeVersion, v.dataFingerprint, v.settings) from ModelVersion v";

    @Query(SUMMARY + " order by v.version desc")
    List<ModelVersionSummary> listSummaries();

    @Query(SUMMARY + " where v.version = :version")
    Optional<ModelVersionSummary> findSummary(@Param("version") long version);

    @Query("select v.version from ModelVersion v where v.status = io.mambarec.storage.ModelVersionStatus.ACTIVE")
    Optional<Long> findActiveVersion();

    /** Retires the active version (if any other than {@code version}); first half of an activation. */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update ModelVersion v set v.status = io.mambarec.storage.ModelVersionStatus.INACTIVE"
            + " where v.status = io.mambarec.storage.ModelVersionStatus.ACTIVE and v.version <> :version")
    int deactivateOthers(@Param("version") long version);

    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update ModelVersion v set v.status = io.mambarec.storage.ModelVersionStatus.ACTIVE, v.activatedAt = :now"
            + " where v.version = :version")
    int markActive(@Param("version") long version, @Param("now") Instant now);
}
