-- LIKEPION schema, shared by worker-service and assign-service (both run these migrations; Flyway serialises them).
-- Baseline: an empty starting point. Tables arrive in later versions.
SELECT 1;
