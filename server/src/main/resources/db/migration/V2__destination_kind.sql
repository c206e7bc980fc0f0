-- HeraldMQ metadata, version 2: a queue and a topic may share a name, so destinations and their dead-letter settings
-- are keyed by (is_queue, name). Never edit once released.
--
-- H2 commits implicitly on DDL, so a crash can stop this script after any statement, and SchemaMigrator then runs it
-- again from the top. Each table is therefore rebuilt by copy and rename, in steps that are all harmless to repeat
-- from any of the states a crash can leave:
--   1. recreate the old table if a crash came after it was dropped (it is then empty: its rows are in the new one);
--   2. create the new table; 3. copy the rows (MERGE: repeated copies do not duplicate);
--   4. drop the old table; 5. rename the new one into its place.
-- A crash after step 5 makes the next run copy the renamed table into a fresh new one and rename again.
-- Primary keys are left unnamed: constraint names are schema-wide, and a named one would collide in that re-run.
--
-- subscriptions.topic needs no kind: only topic subscriptions have rows there (a queue's implicit subscription has
-- positions only, under its own id), so the name always means a topic.

CREATE TABLE IF NOT EXISTS topics (
    name            VARCHAR NOT NULL PRIMARY KEY,
    is_queue        BOOLEAN NOT NULL,
    partitions      INT     NOT NULL,
    retention_ms    BIGINT  NOT NULL,
    retention_bytes BIGINT  NOT NULL,
    created_at      BIGINT  NOT NULL
);

CREATE TABLE IF NOT EXISTS topics_v2 (
    name            VARCHAR NOT NULL,
    is_queue        BOOLEAN NOT NULL,
    partitions      INT     NOT NULL,
    retention_ms    BIGINT  NOT NULL,
    retention_bytes BIGINT  NOT NULL,
    created_at      BIGINT  NOT NULL,
    PRIMARY KEY (is_queue, name)
);

MERGE INTO topics_v2 (name, is_queue, partitions, retention_ms, retention_bytes, created_at) KEY (is_queue, name)
    SELECT name, is_queue, partitions, retention_ms, retention_bytes, created_at FROM topics;

DROP TABLE topics;

ALTER TABLE topics_v2 RENAME TO topics;

-- dead_letter_settings: V1 keyed rows by one string, 'queue://<name>' or 'topic://<name>' (DeadLetters built it).
-- The kind and name are split out in place first (columns added only if missing, so that the V2-shaped table of a
-- re-run passes through unchanged: its name is never null). A row with neither prefix was not written by the broker;
-- it is kept as a queue's.
CREATE TABLE IF NOT EXISTS dead_letter_settings (
    destination             VARCHAR          NOT NULL PRIMARY KEY,
    max_delivery_attempts   INT              NOT NULL,
    redelivery_delay_ms     BIGINT           NOT NULL,
    redelivery_multiplier   DOUBLE PRECISION NOT NULL,
    max_redelivery_delay_ms BIGINT           NOT NULL,
    dead_letter_destination VARCHAR
);

ALTER TABLE dead_letter_settings ADD COLUMN IF NOT EXISTS destination VARCHAR;

ALTER TABLE dead_letter_settings ADD COLUMN IF NOT EXISTS is_queue BOOLEAN;

ALTER TABLE dead_letter_settings ADD COLUMN IF NOT EXISTS name VARCHAR;

UPDATE dead_letter_settings
    SET is_queue = NOT (destination LIKE 'topic://%'),
        name = CASE WHEN destination LIKE 'queue://%' OR destination LIKE 'topic://%'
                    THEN SUBSTRING(destination, 9) ELSE destination END
    WHERE name IS NULL;

CREATE TABLE IF NOT EXISTS dead_letter_settings_v2 (
    is_queue                BOOLEAN          NOT NULL,
    name                    VARCHAR          NOT NULL,
    max_delivery_attempts   INT              NOT NULL,
    redelivery_delay_ms     BIGINT           NOT NULL,
    redelivery_multiplier   DOUBLE PRECISION NOT NULL,
    max_redelivery_delay_ms BIGINT           NOT NULL,
    dead_letter_destination VARCHAR,
    PRIMARY KEY (is_queue, name)
);

MERGE INTO dead_letter_settings_v2 (is_queue, name, max_delivery_attempts, redelivery_delay_ms,
        redelivery_multiplier, max_redelivery_delay_ms, dead_letter_destination) KEY (is_queue, name)
    SELECT is_queue, name, max_delivery_attempts, redelivery_delay_ms, redelivery_multiplier,
        max_redelivery_delay_ms, dead_letter_destination FROM dead_letter_settings WHERE name IS NOT NULL;

DROP TABLE dead_letter_settings;

ALTER TABLE dead_letter_settings_v2 RENAME TO dead_letter_settings;
