package io.heraldmq.server.cli;

import picocli.CommandLine.Option;

/** How the administrative commands reach the broker. */
public final class AdminOptions {
    @Option(names = "--url", description = "broker URL (default ${DEFAULT-VALUE})", defaultValue = "tcp://127.0.0.1:7440")
    String url;

    @Option(names = "--user", description = "user name, when the broker has users configured")
    String user;

    @Option(names = "--password", description = "password of --user", arity = "0..1", interactive = true)
    String password;
}
