package io.heraldmq.server.junit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Ports for test brokers' cluster member and replication ports. */
public final class MemberPorts {
    private MemberPorts() {
    }

    /**
     * Free ports for brokers' member and replication ports, which a broker binds later (and a restarted one again):
     * taken below the kernel's ephemeral range (32768 and up on Linux), where a client socket's local port, picked
     * by the kernel meanwhile (the other members' own connections, say), cannot take it first ("port already in
     * use" failed restarts and in-JVM cluster starts).
     */
    public static int[] free(int n) throws IOException {
        int[] ports = new int[n];
        Random random = new Random();
        List<ServerSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                for (int attempt = 0; ; attempt++) {
                    int candidate = 20_000 + random.nextInt(12_000);
                    try {
                        ServerSocket s = new ServerSocket();
                        s.setReuseAddress(true);
                        s.bind(new InetSocketAddress("127.0.0.1", candidate));
                        open.add(s);
                        ports[i] = candidate;
                        break;
                    } catch (IOException taken) {
                        if (attempt > 100) {
                            throw taken;
                        }
                    }
                }
            }
        } finally {
            for (ServerSocket s : open) {
                s.close();
            }
        }
        return ports;
    }
}
