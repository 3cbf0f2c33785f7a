package io.blockbuster.benchmarks.tls;

import io.blockbuster.benchmarks.fanout.LatencyHistogram;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketClient;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Does a burst of TLS handshakes stall the connections already open? A wss echo server on one event
 * loop; {@code --echoers} open TLS connections each send a timestamp every 10 ms (open loop, so a
 * stalled loop shows as latency) and record the round trip; first a window without new
 * connections, then a window while {@code --rate} new TLS handshakes per second arrive (JDK
 * SSLSocket clients that handshake and close). Prints p50/p99/p99.9/max per window.
 *
 * <pre>java -cp benchmarks.jar io.blockbuster.benchmarks.tls.TlsHandshakeStall --seconds 20 --rate 200 [--key ec|rsa]</pre>
 */
public final class TlsHandshakeStall {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private TlsHandshakeStall() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = 20;
        int rate = 200;
        int echoers = 20;
        int loops = 1;
        String key = "ec";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--echoers" -> echoers = Integer.parseInt(args[i + 1]);
                case "--loops" -> loops = Integer.parseInt(args[i + 1]);
                case "--key" -> key = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        // ec: a P-256 certificate (cheap signatures); rsa: RSA 2048, what most certificates still are,
        // whose signature is the handshake's most expensive step on the server.
        String keystore = switch (key) {
            case "ec" -> "/bench-keystore.p12";
            case "rsa" -> "/bench-keystore-rsa.p12";
            default -> throw new IllegalArgumentException("--key is ec or rsa, not " + key);
        };
        try (InputStream in = TlsHandshakeStall.class.getResourceAsStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        WebSocketServer server = WebSocketServer.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0)
                .eventLoops(loops).tls(serverTls).handler("/echo", new WebSocketListener() {
                    @Override
                    public void onText(WebSocket ws, String text) {
                        ws.sendText(text);
                    }
                }).build();
        server.start();
        int port = server.port();

        Window window = new Window();
        WebSocketClient client = WebSocketClient.builder().tls(clientTls).build();
        List<WebSocket> open = new ArrayList<>();
        for (int i = 0; i < echoers; i++) {
            open.add(client.connect(URI.create("wss://127.0.0.1:" + port + "/echo"), new WebSocketListener() {
                @Override
                public void onText(WebSocket ws, String text) {
                    window.record(System.nanoTime() - Long.parseLong(text));
                }
            }).get(30, TimeUnit.SECONDS));
        }
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);
        timer.scheduleAtFixedRate(() -> {
            String now = Long.toString(System.nanoTime());
            for (WebSocket ws : open) {
                ws.sendText(now);
            }
        }, 0, 10, TimeUnit.MILLISECONDS);

        CountDownLatch never = new CountDownLatch(1);
        never.await(5, TimeUnit.SECONDS); // warm-up (a clock that is not a sleep)
        window.reset();
        never.await(seconds, TimeUnit.SECONDS);
        window.print("echo p99, no new connections", 0, seconds);

        ExecutorService handshakers = Executors.newFixedThreadPool(8);
        AtomicInteger inFlight = new AtomicInteger();
        LongAdder done = new LongAdder();
        LongAdder skipped = new LongAdder();
        LongAdder failed = new LongAdder();
        timer.scheduleAtFixedRate(() -> {
            if (inFlight.get() >= 64) {
                skipped.increment(); // the generator is behind: count it rather than queue without bound
                return;
            }
            inFlight.incrementAndGet();
            handshakers.execute(() -> {
                try (SSLSocket s = (SSLSocket) clientTls.getSocketFactory().createSocket("127.0.0.1", port)) {
                    s.startHandshake();
                    done.increment();
                } catch (Exception e) {
                    failed.increment();
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        }, 0, TimeUnit.SECONDS.toNanos(1) / rate, TimeUnit.NANOSECONDS);
        never.await(3, TimeUnit.SECONDS);
        window.reset();
        long before = done.sum();
        never.await(seconds, TimeUnit.SECONDS);
        window.print("echo p99 while new TLS handshakes arrive", (done.sum() - before) / (double) seconds, seconds);
        System.out.println("handshakes failed " + failed.sum() + ", skipped (generator behind) " + skipped.sum());
        System.exit(0);
    }

    /** Round trips of one measuring window, from every echoer (synchronized: several client threads may record). */
    private static final class Window {
        private LatencyHistogram histogram = new LatencyHistogram();

        synchronized void record(long nanos) {
            histogram.record(nanos);
        }

        synchronized void reset() {
            histogram = new LatencyHistogram();
        }

        synchronized void print(String what, double handshakesPerSecond, int seconds) {
            System.out.printf("%s: %d echoes in %d s, handshakes %.0f/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                    what, histogram.count(), seconds, handshakesPerSecond, histogram.valueAt(0.50) / 1e6,
                    histogram.valueAt(0.99) / 1e6, histogram.valueAt(0.999) / 1e6, histogram.max() / 1e6);
        }
    }
}
