package io.streamrec.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Which localhost ports the embedded broker can take, and whether a start failed for a port already taken. */
final class LocalPorts {
    private LocalPorts() {}

    /** Throws {@link EmbeddedKafkaBroker.PortInUseException} unless the port is free on localhost (IPv4 and IPv6). */
    static void ensureFree(int port) {
        if (!isFree(port) || somethingAcceptsOnLocalhost(port)) {
            throw new EmbeddedKafkaBroker.PortInUseException(port, null);
        }
    }

    /** True if a listener on 127.0.0.1:port could be bound right now. */
    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(EmbeddedKafkaBroker.BIND_ADDRESS), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Also catches a process that listens on ::1 only, which "localhost" clients might reach instead of us. */
    private static boolean somethingAcceptsOnLocalhost(int port) {
        try {
            for (InetAddress a : InetAddress.getAllByName(EmbeddedKafkaBroker.ADVERTISED_HOST)) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(a, port), 200);
                    return true;
                } catch (IOException refused) {
                    // nothing there
                }
            }
        } catch (IOException e) {
            // cannot resolve localhost: the bind check has to do
        }
        return false;
    }

    /** A free port on the bind address, none of {@code avoid}. */
    static int freePort(int... avoid) {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getByName(EmbeddedKafkaBroker.BIND_ADDRESS), 0));
                int p = s.getLocalPort();
                boolean clash = false;
                for (int a : avoid) {
                    clash |= a == p;
                }
                if (!clash) {
                    return p;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot find a free port on " + EmbeddedKafkaBroker.BIND_ADDRESS, e);
            }
        }
        throw new IllegalStateException("Cannot find a free port on " + EmbeddedKafkaBroker.BIND_ADDRESS);
    }

    /** Whether {@code e} (or a cause) is a failure to bind a listener. */
    static boolean causedByBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("Address already in use") || m.contains("failed to bind"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
