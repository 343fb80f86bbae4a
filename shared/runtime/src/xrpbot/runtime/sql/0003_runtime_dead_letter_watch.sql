-- depends: 0002_runtime_retention
-- The level of the service's dead-letter queue its admins were last told about
-- (xrpbot.runtime.dead_letter_alerts): 0 below the warning fraction, 1 filling, 2 full. One row
-- per queue, shared by the service's replicas: each sample locks it, so one crossing is one
-- alert however many replicas sample the queue.
CREATE TABLE dead_letter_watch (
    queue      text        PRIMARY KEY,
    reported   smallint    NOT NULL DEFAULT 0 CHECK (reported BETWEEN 0 AND 2),
    changed_at timestamptz NOT NULL DEFAULT now()
);
