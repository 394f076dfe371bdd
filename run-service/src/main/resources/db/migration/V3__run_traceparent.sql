-- The W3C traceparent of the request that started the run (null when it had none, and for runs started before this
-- column existed). The engine's work for the run and its run events continue that trace, on whichever instance holds
-- the lease (docs/operations.md, "Tracing"). Its tracestate is not kept.
ALTER TABLE runs ADD COLUMN traceparent text CHECK (length(traceparent) = 55);
