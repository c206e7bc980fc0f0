-- HeraldMQ metadata, version 1. Never edit once released: add V2__... instead (see Migration.ALL).
-- IF NOT EXISTS everywhere: H2 auto-commits DDL, so a crash mid-script must leave a re-runnable script.

CREATE TABLE IF NOT EXISTS topics (
    name            VARCHAR NOT NULL PRIMARY KEY,
    is_queue        BOOLEAN NOT NULL,
    partitions      INT     NOT NULL,
    retention_ms    BIGINT  NOT NULL,
    retention_bytes BIGINT  NOT NULL,
    created_at      BIGINT  NOT NULL
);

-- id is the broker's key (opaque here). No foreign key to topics: a queue's implicit subscription and the
-- order in which the broker restores things must not depend on insert order; MetaStore deletes explicitly.
CREATE TABLE IF NOT EXISTS subscriptions (
    id           VARCHAR NOT NULL PRIMARY KEY,
    topic        VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    client_id    VARCHAR,
    durable      BOOLEAN NOT NULL,
    shared       BOOLEAN NOT NULL,
    selector     VARCHAR,
    no_local     BOOLEAN NOT NULL,
    retention_ms BIGINT  NOT NULL,
    created_at   BIGINT  NOT NULL
);

CREATE INDEX IF NOT EXISTS subscriptions_topic ON subscriptions (topic);

-- partition_id, not "partition": PARTITION is an H2 keyword and would need quoting everywhere.
-- acked_ranges: see AckedRanges (format byte + varint gap/length pairs above committed_offset).
CREATE TABLE IF NOT EXISTS positions (
    subscription_id  VARCHAR   NOT NULL,
    partition_id     INT       NOT NULL,
    committed_offset BIGINT    NOT NULL,
    acked_ranges     VARBINARY NOT NULL,
    PRIMARY KEY (subscription_id, partition_id)
);

CREATE TABLE IF NOT EXISTS dead_letter_settings (
    destination             VARCHAR          NOT NULL PRIMARY KEY,
    max_delivery_attempts   INT              NOT NULL,
    redelivery_delay_ms     BIGINT           NOT NULL,
    redelivery_multiplier   DOUBLE PRECISION NOT NULL,
    max_redelivery_delay_ms BIGINT           NOT NULL,
    dead_letter_destination VARCHAR
);
