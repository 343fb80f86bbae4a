-- depends: 0001_runtime_outbox_trace_headers
-- transactional: false
-- Indexes the retention pruner (xrpbot.runtime.retention) finds old rows by: inbox claims by
-- age, outbox rows by when they were published (unpublished rows are never pruned, so they are
-- left out of the index). Built CONCURRENTLY, so an existing deployment keeps writing to its
-- inbox and outbox while they are built; a build cut off half-way leaves an invalid index, which
-- the retried migration drops first.
DROP INDEX CONCURRENTLY IF EXISTS inbox_processed_at;
CREATE INDEX CONCURRENTLY inbox_processed_at ON inbox (processed_at);
DROP INDEX CONCURRENTLY IF EXISTS outbox_published_at;
CREATE INDEX CONCURRENTLY outbox_published_at ON outbox (published_at)
    WHERE published_at IS NOT NULL;
