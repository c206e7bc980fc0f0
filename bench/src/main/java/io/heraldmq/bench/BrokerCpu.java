package io.heraldmq.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time the broker processes have used so far (user + system, from {@code /proc/<pid>/stat}, in clock ticks of
 * 10 ms), for the pids in {@value DiskWrites#PROPERTY}. On a shared machine the rates of one configuration scatter by
 * a factor of two or more between runs; CPU time per message scatters far less, so a change in the broker's own cost
 * shows in it first.
 */
public final class BrokerCpu {
    private static final double SECONDS_PER_TICK = 0.01;

    private final List<Path> files = new ArrayList<>();

    private BrokerCpu() {
    }

    public static BrokerCpu fromSystemProperties() {
        BrokerCpu cpu = new BrokerCpu();
        for (String pid : System.getProperty(DiskWrites.PROPERTY, "").split(",")) {
            if (!pid.isBlank()) {
                cpu.files.add(Path.of("/proc", pid.trim(), "stat"));
            }
        }
        return cpu;
    }

    /** Seconds of CPU used by the brokers, or -1 when unknown. */
    public double seconds() {
        if (files.isEmpty()) {
            return -1;
        }
        long ticks = 0;
        for (Path file : files) {
            try {
                String stat = Files.readString(file);
                // after the command name in parentheses: state is field 3, utime 14 and stime 15
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return ticks * SECONDS_PER_TICK;
    }

    /** Reports {@code broker-cpu-us}: microseconds of broker CPU per unit of work since {@code before}. */
    public void report(ScenarioKey scenario, double before, long units) {
        double after = seconds();
        if (before >= 0 && after >= 0 && units > 0) {
            ResultLine.number(scenario, "broker-cpu-us", (after - before) * 1e6 / units);
        }
    }
}
