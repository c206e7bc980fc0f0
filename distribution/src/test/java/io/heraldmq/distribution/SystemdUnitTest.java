package io.heraldmq.distribution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The systemd unit example runs the script from the distribution with the configuration in /etc, and systemd's own
 * checker finds nothing wrong with it (where systemd-analyze is installed; Debian's systemd package).
 */
class SystemdUnitTest {
    private static final Path UNIT = Path.of("..", "config", "heraldmq.service");

    @Test
    void startsTheDistributionsScriptWithTheConfigurationInEtc() throws Exception {
        String unit = Files.readString(UNIT, StandardCharsets.UTF_8);
        assertTrue(unit.contains("\nExecStart=/opt/heraldmq/bin/heraldmq --config /etc/heraldmq/broker.properties\n"),
                unit);
        assertTrue(unit.contains("\nWorkingDirectory=/var/lib/heraldmq\n"), "data.dir = data lands in /var/lib");
        assertTrue(unit.contains("\nKillSignal=SIGTERM\n"), "the broker's clean stop");
    }

    @Test
    void systemdAnalyzeFindsNoProblem(@TempDir Path dir) throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        // the unit names the installed script; here the repository's stands in for it
        Path unit = dir.resolve("heraldmq.service");
        Files.writeString(unit, Files.readString(UNIT, StandardCharsets.UTF_8).replace("/opt/heraldmq/bin/heraldmq",
                Path.of("..", "bin", "heraldmq").toAbsolutePath().normalize().toString()));
        Path output = dir.resolve("output.txt");
        Process p = new ProcessBuilder(analyze.toString(), "verify", unit.toString()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze did not finish");
        String said = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), said);
        assertEquals("", said.strip(), "systemd-analyze warns");
    }
}
