package io.mambarec.jobs;

import java.util.UUID;

/** Published after a job was queued (committed): a trainer in this process claims it without waiting for its poll. */
public record JobQueued(UUID jobId) {}
