package com.numbersrouter.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loopback port nothing listens on (yet): for a server a test starts later, or one that must stay down.
 *
 * <p>Taken below Linux's ephemeral range (32768-60999), from which every outgoing connection gets its source port.
 * A client that keeps retrying a port in that range while nothing listens (the node reconnecting to a stopped
 * broker) can be given that very port as its source and connect to itself (TCP self-connect), or another
 * connection can take the port; either way the server then cannot start on it.
 */
public final class FreePort {

    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;

    private FreePort() {
    }

    public static int find() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // in use: try another
            }
        }
        throw new IllegalStateException("No free loopback port between " + LOWEST + " and " + HIGHEST);
    }
}
