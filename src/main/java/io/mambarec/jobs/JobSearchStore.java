package io.mambarec.jobs;

import ai.djl.ndarray.NDManager;
import io.mambarec.storage.JobQueue;
import io.mambarec.storage.SearchCheckpointRepository;
import io.mambarec.training.TrainingCheckpoint;
import io.mambarec.tuning.SearchJournal;
import io.mambarec.tuning.SearchStore;
import java.util.Optional;

/**
 * An {@code auto} job's search in PostgreSQL: its journal and its points' checkpoints, on the job's
 * data only (a search made on other data is forgotten when this is made), kept until the job ends so
 * that its next attempt resumes the search. Every write is fenced by the attempt: a write refused
 * (the attempt lost the job) calls {@code lost}, which stops the attempt.
 */
final class JobSearchStore implements SearchStore {

    private final SearchCheckpointRepository repository;
    private final JobQueue.Claim claim;
    private final String fingerprint;
    private final Runnable lost;
    private final Optional<SearchJournal> resumed;

    JobSearchStore(SearchCheckpointRepository repository, JobQueue.Claim claim, String fingerprint, Runnable lost) {
        this.repository = repository;
        this.claim = claim;
        this.fingerprint = fingerprint;
        this.lost = lost;
        repository.deleteOtherData(claim.jobId(), fingerprint);
        this.resumed = repository.journal(claim.jobId(), fingerprint).map(SearchJournal::fromJson);
    }

    @Override
    public Optional<SearchJournal> journal() {
        return resumed;
    }

    @Override
    public void save(SearchJournal journal) {
        if (!repository.saveJournal(claim, journal.toJson(), fingerprint)) {
            lost.run();
        }
    }

    @Override
    public Point point(int number) {
        return new Point() {
            @Override
            public Optional<TrainingCheckpoint> latest(NDManager manager) {
                return repository.point(
                        claim.jobId(), number, fingerprint, in -> TrainingCheckpoint.readFrom(in, manager));
            }

            @Override
            public Optional<TrainingCheckpoint.Progress> progress() {
                return repository.point(claim.jobId(), number, fingerprint, TrainingCheckpoint::readProgress);
            }

            @Override
            public void save(TrainingCheckpoint checkpoint) {
                if (!repository.savePoint(claim, number, checkpoint.epochsDone(), checkpoint::writeTo, fingerprint)) {
                    lost.run();
                }
            }

            @Override
            public void delete() {
                if (!repository.deletePoint(claim, number)) {
                    lost.run();
                }
            }
        };
    }

    @Override
    public void release() {
        // kept until the job ends: its next attempt resumes from them
    }
}
