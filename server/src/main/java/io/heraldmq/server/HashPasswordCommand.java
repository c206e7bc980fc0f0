package io.heraldmq.server;

import io.heraldmq.server.security.PasswordHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code heraldmq hash-password}: reads a password from standard input (one line; from the console without echo
 * when there is one) and prints its hash for a {@code user.<name> = ...} line of the config file.
 */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = "Reads a password from stdin and prints its hash for a 'user.<name> = <hash>' config line.")
final class HashPasswordCommand implements Callable<Integer> {
    @Option(names = "--iterations", description = "PBKDF2 iterations (default ${DEFAULT-VALUE})")
    int iterations = PasswordHash.DEFAULT_ITERATIONS;

    @Override
    public Integer call() throws Exception {
        char[] password;
        if (System.console() != null) {
            password = System.console().readPassword("password: ");
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? null : line.toCharArray();
        }
        if (password == null || password.length == 0) {
            System.err.println("no password given on standard input");
            return 2;
        }
        System.out.println(PasswordHash.create(password, iterations).encoded());
        return 0;
    }
}
