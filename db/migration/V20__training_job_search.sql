-- An auto job's search (every point tried with its validation Recall@20 and epochs, the chosen one,
-- the popularity ranking's validation figure), as its trainer recorded it; null for other jobs.
ALTER TABLE training_job ADD COLUMN search JSONB;
