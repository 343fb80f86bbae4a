-- depends: 0000_runtime_inbox_outbox
-- The trace context (W3C traceparent/tracestate, a JSON object) that was current when the message
-- was queued, so the relay publishes it under the same trace (xrpbot.runtime.tracing).
-- NULL when tracing is off.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS trace_headers text;
