package io.mambarec.jobs;

import ai.djl.ndarray.NDManager;
import io.mambarec.storage.CheckpointRepository;
import io.mambarec.storage.JobQueue;
import io.mambarec.training.CheckpointStore;
import io.mambarec.training.TrainingCheckpoint;
import java.util.Optional;

/**
 * A plain job's checkpoints in PostgreSQL, on the job's data only: every epoch's checkpoint streams
 * from its native arrays into chunks, and a resume decodes the chunks into native arrays as they
 * arrive, so neither holds the checkpoint on the heap. Every save is fenced by the attempt: a save
 * refused (the attempt lost the job) calls {@code lost}, which stops the attempt.
 */
final class JobCheckpoints implements CheckpointStore {

    private final CheckpointRepository repository;
    private final JobQueue.Claim claim;
    private final String fingerprint;
    private final Runnable lost;

    JobCheckpoints(CheckpointRepository repository, JobQueue.Claim claim, String fingerprint, Runnable lost) {
        this.repository = repository;
        this.claim = claim;
        this.fingerprint = fingerprint;
        this.lost = lost;
    }

    /** The epochs the checkpoint to resume from completed; null when the job starts afresh. */
    Integer resumedEpoch() {
        return progress().map(TrainingCheckpoint.Progress::epochsDone).orElse(null);
    }

    @Override
    public Optional<TrainingCheckpoint> latest(NDManager manager) {
        return repository
                .latest(claim.jobId(), fingerprint, in -> TrainingCheckpoint.readFrom(in, manager))
                .map(CheckpointRepository.Stored::state);
    }

    @Override
    public Optional<TrainingCheckpoint.Progress> progress() {
        return repository
                .latest(claim.jobId(), fingerprint, TrainingCheckpoint::readProgress)
                .map(CheckpointRepository.Stored::state);
    }

    @Override
    public void save(TrainingCheckpoint checkpoint) {
        if (!repository.save(claim, checkpoint.epochsDone(), checkpoint::writeTo, fingerprint)) {
            lost.run();
        }
    }
}
