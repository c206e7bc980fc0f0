package io.heraldmq.server.log;

// STAND-IN: replaced by helper/log at merge.
public enum FlushPolicy { ALWAYS, INTERVAL, NEVER }
