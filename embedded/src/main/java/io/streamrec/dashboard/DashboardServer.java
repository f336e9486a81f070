package io.streamrec.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The live dashboard's web server (the JDK's own HTTP server; localhost unless told otherwise): the page, its script,
 * ECharts from the WebJar on the classpath (nothing is fetched from the network, by the server or the browser), and
 * the data endpoint {@value #DATA_PATH} the page polls.
 */
public final class DashboardServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 8050;
    public static final String DATA_PATH = "/api/state";
    static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.5.0/echarts.min.js";

    /** Static files: path served → classpath resource, content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"/io/streamrec/dashboard/index.html", "text/html; charset=utf-8"},
            "/dashboard.js", new String[] {"/io/streamrec/dashboard/dashboard.js", "text/javascript; charset=utf-8"},
            "/echarts.min.js", new String[] {ECHARTS, "text/javascript; charset=utf-8"});

    private final HttpServer server;
    private final ExecutorService executor;
    private final String host;

    private DashboardServer(HttpServer server, ExecutorService executor, String host) {
        this.server = server;
        this.executor = executor;
        this.host = host;
    }

    /** Serves {@code state} on {@code host:port} (port 0: any free port). */
    public static DashboardServer start(DashboardState state, String host, int port) throws IOException {
        for (String[] file : FILES.values()) {
            if (DashboardServer.class.getResource(file[0]) == null)
                throw new IllegalStateException("dashboard resource missing from the classpath: " + file[0]);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "streamrec-dashboard-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (!exchange.getRequestMethod().equals("GET")) {
                    send(exchange, 405, "text/plain", "GET only".getBytes());
                } else if (path.equals(DATA_PATH)) {
                    send(exchange, 200, "application/json", state.toJson());
                } else if (FILES.containsKey(path)) {
                    String[] file = FILES.get(path);
                    try (InputStream in = DashboardServer.class.getResourceAsStream(file[0])) {
                        send(exchange, 200, file[1], in.readAllBytes());
                    }
                } else {
                    send(exchange, 404, "text/plain", ("not found: " + path).getBytes());
                }
            }
        });
        server.start();
        return new DashboardServer(server, executor, host);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::");
        return "http://" + (wildcard ? "localhost" : host) + ":" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
