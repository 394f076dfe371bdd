-- run-service schema (its own database). Baseline: an empty starting point; tables arrive in later versions.
SELECT 1;
