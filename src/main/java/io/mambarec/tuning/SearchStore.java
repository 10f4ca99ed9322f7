package io.mambarec.tuning;

import io.mambarec.training.CheckpointStore;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a search keeps its {@link SearchJournal} and each point's latest training checkpoint. A
 * service job keeps them in PostgreSQL, fenced by its attempt, so that the next attempt resumes the
 * search; the CLI keeps the checkpoints in files and the journal not at all ({@link #files}).
 */
public interface SearchStore {

    /** One point's latest checkpoint. */
    interface Point extends CheckpointStore {

        /** Frees the checkpoint: the point is not trained again. */
        void delete();
    }

    /** The journal of an earlier attempt to resume, if any. */
    Optional<SearchJournal> journal();

    /** Replaces the journal. */
    void save(SearchJournal journal);

    /** The checkpoint of point {@code number}. */
    Point point(int number);

    /**
     * Called once the search returned its model or failed: frees what only the search needed. A
     * store that must outlive the attempt (a job's, resumed by its next attempt) keeps everything
     * until its job ends.
     */
    void release();

    /** Checkpoints in files under {@code dir}, no journal: a search of one process, never resumed. */
    static SearchStore files(Path dir) {
        return new FileSearchStore(dir);
    }
}
