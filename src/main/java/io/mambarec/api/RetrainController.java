package io.mambarec.api;

import io.mambarec.jobs.JobAlreadyFinishedException;
import io.mambarec.jobs.RetrainConflictException;
import io.mambarec.jobs.RetrainRequest;
import io.mambarec.jobs.RetrainService;
import io.mambarec.jobs.UnknownJobException;
import io.mambarec.storage.TrainingJob;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Background retraining: {@code POST /retrain} (admin) queues a job, {@code GET /retrain/{jobId}}
 * reports its progress, {@code DELETE /retrain/{jobId}} (admin) cancels it. One job at a time
 * across all replicas (409 otherwise).
 */
@RestController
@RequestMapping("/retrain")
public class RetrainController {

    private final RetrainService retrain;

    public RetrainController(RetrainService retrain) {
        this.retrain = retrain;
    }

    /** The accepted job. */
    public record Accepted(UUID jobId, String status) {}

    /**
     * A job's state. Timings are ISO-8601 instants; {@code secondsPerEpoch} excludes evaluation;
     * {@code candidateRecall20}/{@code popularRecall20}/{@code activeRecall20} are the quality gate's
     * test Recall@20 of the candidate, of the popularity ranking and of the then-active model on this
     * job's holdout; {@code replica} names the trainer process that runs (ran) it, {@code attempts}
     * how often a trainer claimed it, {@code resumedFromEpoch} the checkpoint the latest attempt
     * continued from (null: from the start), for an {@code auto} job the epoch of the point
     * {@code resumedPoint} it resumed; {@code search}, for an {@code auto} job once its search
     * ended, every point tried with its validation Recall@20 and epochs and the chosen one.
     */
    public record JobView(
            UUID jobId,
            String status,
            String model,
            int epoch,
            int maxEpochs,
            Double lastLoss,
            Double validRecall20,
            Integer bestEpoch,
            Double secondsPerEpoch,
            Long modelVersion,
            Double candidateRecall20,
            Double activeRecall20,
            Double popularRecall20,
            String error,
            boolean cancelRequested,
            String replica,
            int attempts,
            Integer resumedFromEpoch,
            Integer resumedPoint,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt,
            Instant heartbeatAt,
            Instant leaseUntil,
            Double elapsedSeconds,
            JsonNode search) {

        private static final JsonMapper JSON = JsonMapper.builder().build();

        static JobView of(TrainingJob job) {
            Double elapsed = job.getStartedAt() == null
                    ? null
                    : Duration.between(
                                            job.getStartedAt(),
                                            job.getFinishedAt() == null ? Instant.now() : job.getFinishedAt())
                                    .toMillis()
                            / 1000.0;
            return new JobView(
                    job.getId(),
                    job.getStatus().name(),
                    job.getModelName(),
                    job.getEpoch(),
                    job.getMaxEpochs(),
                    job.getLastLoss(),
                    job.getValidRecall20(),
                    job.getBestEpoch(),
                    job.getSecondsPerEpoch(),
                    job.getModelVersion(),
                    job.getCandidateRecall20(),
                    job.getActiveRecall20(),
                    job.getPopularRecall20(),
                    job.getError(),
                    job.isCancelRequested(),
                    job.getReplica(),
                    job.getAttempts(),
                    job.getResumedFromEpoch(),
                    job.getResumedPoint(),
                    job.getCreatedAt(),
                    job.getStartedAt(),
                    job.getFinishedAt(),
                    job.getHeartbeatAt(),
                    job.getLeaseUntil(),
                    elapsed,
                    job.getSearch() == null ? null : JSON.readTree(job.getSearch()));
        }
    }

    /**
     * Optional body: {@code {"model": "...", "maxEpochs": N, "mmdWeight": x, "mmdBandwidth": x,
     * "force": bool, "params": {"key": value, ...}, "budgetMinutes": N}}; {@code "model": "auto"} (the
     * default) tunes MambaRec by validation within {@code budgetMinutes}.
     */
    @Operation(
            summary = "Queue a retraining job (admin)",
            description = "Optional body {\"model\", \"maxEpochs\", \"mmdWeight\", \"mmdBandwidth\", \"force\","
                    + " \"params\": {key: value}, \"budgetMinutes\"}; model \"auto\" (the default) tunes MambaRec's"
                    + " settings by validation Recall@20 within budgetMinutes. 202 with the job id; 409 while another"
                    + " job is queued or running on any replica; 400 for an unknown field, model or parameter or a"
                    + " value out of range.")
    @ApiResponse(responseCode = "202", description = "Queued; Location names the job")
    @ApiResponse(responseCode = "409", description = "Another job is queued or running")
    @PostMapping
    public ResponseEntity<Accepted> submit(@RequestBody(required = false) @Valid RetrainRequest body) {
        TrainingJob job;
        try {
            job = retrain.submit(body == null ? RetrainRequest.empty() : body);
        } catch (IllegalArgumentException e) {
            throw new BadRetrainRequest(e.getMessage());
        }
        return ResponseEntity.accepted()
                .location(URI.create("/retrain/" + job.getId()))
                .body(new Accepted(job.getId(), job.getStatus().name()));
    }

    @Operation(summary = "A retraining job's status, progress, timings, quality-gate figures and resulting version")
    @ApiResponse(responseCode = "200", description = "The job")
    @ApiResponse(responseCode = "404", description = "No such job")
    @GetMapping("/{jobId}")
    public JobView status(@PathVariable String jobId) {
        return JobView.of(retrain.get(jobId));
    }

    /** Cancels a queued or running job (202); the trainer stops at its next batch. */
    @Operation(summary = "Cancel a queued or running job (admin); 409 when it already finished")
    @ApiResponse(responseCode = "202", description = "Cancellation requested; the trainer stops at its next batch")
    @ApiResponse(responseCode = "404", description = "No such job")
    @ApiResponse(responseCode = "409", description = "The job already finished")
    @DeleteMapping("/{jobId}")
    public ResponseEntity<JobView> cancel(@PathVariable String jobId) {
        return ResponseEntity.accepted().body(JobView.of(retrain.cancel(jobId)));
    }

    /** Bad body: unknown field, wrong type, unknown model or parameter, value out of range. */
    static final class BadRetrainRequest extends RuntimeException {
        BadRetrainRequest(String message) {
            super(message);
        }
    }

    @ExceptionHandler(BadRetrainRequest.class)
    ProblemDetail badRequest(BadRetrainRequest e) {
        return Problems.titled(HttpStatus.BAD_REQUEST, "Invalid retraining request", e);
    }

    @ExceptionHandler(RetrainConflictException.class)
    ProblemDetail conflict(RetrainConflictException e) {
        ProblemDetail problem =
                Problems.titled(HttpStatus.CONFLICT, "A retraining job is already queued or running", e);
        if (e.activeJobId() != null) {
            problem.setProperty("activeJobId", e.activeJobId());
        }
        return problem;
    }

    @ExceptionHandler(UnknownJobException.class)
    ProblemDetail unknown(UnknownJobException e) {
        return Problems.titled(HttpStatus.NOT_FOUND, "Unknown retraining job", e);
    }

    @ExceptionHandler(JobAlreadyFinishedException.class)
    ProblemDetail finished(JobAlreadyFinishedException e) {
        return Problems.titled(HttpStatus.CONFLICT, "Retraining job already finished", e);
    }
}
