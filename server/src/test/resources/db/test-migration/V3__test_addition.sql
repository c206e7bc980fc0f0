-- Test-only "V3": a new table plus an insert, to see that the script runs exactly once.
CREATE TABLE IF NOT EXISTS test_addition (
    id INT PRIMARY KEY
);
INSERT INTO test_addition VALUES (1);
