package io.blockbuster.benchmarks.soak;

import io.blockbuster.stream.HubStats;
import io.blockbuster.stream.PushedSource;
import io.blockbuster.stream.StreamHub;
import io.blockbuster.stream.StreamOptions;
import io.blockbuster.stream.binding.StreamBinding;
import io.blockbuster.stream.json.Json;
import io.blockbuster.stream.json.RawJson;
import io.blockbuster.websocket.CloseStatus;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketClient;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;
import io.blockbuster.websocket.deflate.PerMessageDeflate;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A soak: one process runs a hub on our server and a crowd of clients against it for a fixed time,
 * and prints its own footprint every minute, so that anything that grows without bound shows as a
 * rising line. Not a test (it runs for half an hour); see SECURITY.md for a run and its verdict.
 *
 * <p>The crowd, all on loopback: short-lived subscribers opening and closing (cleanly or by abort)
 * all the time, half of them with permessage-deflate; resuming subscribers that disconnect and
 * resume from their last {@code seq} (and count gaps); slow readers on raw sockets that read a little
 * every 250 ms; subscribers that never read at all, replaced every five minutes. Every stream is published
 * to all the time.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.blockbuster.benchmarks.soak.Soak --minutes 30 --csv soak.csv
 * </pre>
 *
 * Each minute: heap after a full GC, resident set, open file descriptors, live threads, the hub's
 * open connections, and the crowd's counters.
 */
public final class Soak {
    private static final List<String> STREAMS = List.of("events", "state", "ticks");

    private final int churnPerSecond;
    private final int maxChurners;
    private final int resumers;
    private final int slowReaders;
    private final int silentReaders;
    private final int publishesPerSecond;

    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "soak-timer");
        t.setDaemon(true);
        return t;
    });
    private final StreamHub hub = StreamHub.builder().build();
    private final Map<String, PushedSource> sources = Map.of("events", new PushedSource(), "state", new PushedSource(),
            "ticks", new PushedSource());
    private final PerMessageDeflate serverDeflate = PerMessageDeflate.withDefaults();
    private final PerMessageDeflate clientDeflate = PerMessageDeflate.withDefaults();
    private WebSocketServer server;
    private URI uri;
    private final WebSocketClient plainClient = WebSocketClient.builder().build();
    private final WebSocketClient deflateClient = WebSocketClient.builder().permessageDeflate(clientDeflate).build();

    private final AtomicInteger liveChurners = new AtomicInteger();
    private final LongAdder churned = new LongAdder();
    private final LongAdder resumes = new LongAdder();
    private final LongAdder resumeGaps = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder rawReplaced = new LongAdder();
    private final LongAdder clientFailures = new LongAdder();
    private final Queue<RawSubscriber> slow = new ConcurrentLinkedQueue<>();
    private final Queue<RawSubscriber> silent = new ConcurrentLinkedQueue<>();
    private final LongAdder published = new LongAdder();

    private Soak(int churnPerSecond, int maxChurners, int resumers, int slowReaders, int silentReaders, int publishesPerSecond) {
        this.churnPerSecond = churnPerSecond;
        this.maxChurners = maxChurners;
        this.resumers = resumers;
        this.slowReaders = slowReaders;
        this.silentReaders = silentReaders;
        this.publishesPerSecond = publishesPerSecond;
    }

    public static void main(String[] args) throws Exception {
        int minutes = 30;
        String csv = null;
        int churn = 20;
        int maxChurners = 300;
        int resumers = 20;
        int slowReaders = 20;
        int silentReaders = 20;
        int rate = 20;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--minutes" -> minutes = Integer.parseInt(args[i + 1]);
                case "--csv" -> csv = args[i + 1];
                case "--churn" -> churn = Integer.parseInt(args[i + 1]);
                case "--max-churners" -> maxChurners = Integer.parseInt(args[i + 1]);
                case "--resumers" -> resumers = Integer.parseInt(args[i + 1]);
                case "--slow" -> slowReaders = Integer.parseInt(args[i + 1]);
                case "--silent" -> silentReaders = Integer.parseInt(args[i + 1]);
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Soak soak = new Soak(churn, maxChurners, resumers, slowReaders, silentReaders, rate);
        try (PrintStream out = csv == null ? null : new PrintStream(Files.newOutputStream(Path.of(csv)), true)) {
            soak.run(minutes, out);
        }
        System.exit(0);
    }

    private void run(int minutes, PrintStream csv) throws Exception {
        sources.forEach((name, source) -> hub.register(name, source,
                name.equals("state") ? StreamOptions.state() : StreamOptions.events().withQueueCapacity(name.equals("ticks") ? 64 : 256)));
        hub.start();
        server = WebSocketServer.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0)
                .permessageDeflate(serverDeflate).handler("/ws", StreamBinding.listener(hub)).build();
        server.start();
        uri = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
        String header = "minute,heap_after_gc_mib,rss_mib,fds,threads,hub_connections,churned,resumes,resume_gaps,"
                + "raw_replaced,slow_consumers_closed,received,published,client_failures";
        System.out.println(header);
        if (csv != null) {
            csv.println(header);
        }
        report(0, csv);

        long periodNanos = TimeUnit.SECONDS.toNanos(1) / publishesPerSecond;
        timer.scheduleAtFixedRate(this::publishAll, 0, periodNanos, TimeUnit.NANOSECONDS);
        timer.scheduleAtFixedRate(this::churnOne, 0, TimeUnit.SECONDS.toNanos(1) / churnPerSecond, TimeUnit.NANOSECONDS);
        for (int i = 0; i < resumers; i++) {
            new Resumer().connect();
        }
        timer.scheduleAtFixedRate(this::readSlowly, 250, 250, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(this::replaceRaw, 0, 5, TimeUnit.MINUTES);

        CountDownLatch done = new CountDownLatch(1);
        for (int m = 1; m <= minutes; m++) {
            done.await(1, TimeUnit.MINUTES); // never counted down: a clock that is not a sleep
            report(m, csv);
        }
        // main exits the process: closing the crowd here would only log its reconnect attempts
    }

    private void publishAll() {
        long n = published.sum();
        published.increment();
        String filler = "block " + (n % 1000) + " of the soak, compressible text repeated ".repeat(12);
        for (String name : STREAMS) {
            sources.get(name).publish(RawJson.trusted("{\"n\":" + n + ",\"text\":\"" + filler + "\"}"));
        }
    }

    /** A subscriber that lives 1-10 s, on a random stream, half with deflate, closing or aborting. */
    private void churnOne() {
        if (liveChurners.get() >= maxChurners) {
            return;
        }
        liveChurners.incrementAndGet();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        WebSocketClient client = random.nextBoolean() ? deflateClient : plainClient;
        String stream = STREAMS.get(random.nextInt(STREAMS.size()));
        long lifeMillis = 1000 + random.nextLong(9000);
        boolean abort = random.nextInt(4) == 0;
        client.connect(uri, new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws) {
                ws.sendText("{\"type\":\"subscribe\",\"stream\":\"" + stream + "\"}");
                timer.schedule(() -> {
                    if (abort) {
                        ws.abort();
                    } else {
                        ws.close(1000, "bye");
                    }
                }, lifeMillis, TimeUnit.MILLISECONDS);
            }

            @Override
            public void onText(WebSocket ws, String text) {
                received.increment();
            }

            @Override
            public void onClose(WebSocket ws, CloseStatus status, boolean closedByPeer) {
                liveChurners.decrementAndGet();
                churned.increment();
            }
        }).whenComplete((ws, error) -> {
            if (error != null) {
                liveChurners.decrementAndGet();
                clientFailures.increment();
            }
        });
    }

    /** Subscribes to "events", stays 5-15 s, disconnects, and resumes from its last seq 0.5 s later. */
    private final class Resumer implements WebSocketListener {
        private long lastSeq = -1;
        private String epoch;

        void connect() {
            WebSocketClient client = ThreadLocalRandom.current().nextBoolean() ? deflateClient : plainClient;
            client.connect(uri, this).whenComplete((ws, error) -> {
                if (error != null) {
                    clientFailures.increment();
                    timer.schedule(this::connect, 1, TimeUnit.SECONDS);
                }
            });
        }

        @Override
        public void onOpen(WebSocket ws) {
            String request = lastSeq < 0 ? "{\"type\":\"subscribe\",\"stream\":\"events\"}"
                    : "{\"type\":\"subscribe\",\"stream\":\"events\",\"since\":" + lastSeq + ",\"epoch\":\"" + epoch + "\"}";
            ws.sendText(request);
            timer.schedule(() -> ws.close(1000, "resume later"), 5000 + ThreadLocalRandom.current().nextLong(10_000),
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public void onText(WebSocket ws, String text) {
            received.increment();
            if (!text.startsWith("{\"type\":\"events\"")) {
                return;
            }
            Map<?, ?> m = (Map<?, ?>) Json.parse(text);
            long seq = (Long) m.get("seq");
            if (lastSeq >= 0 && seq != lastSeq + 1) {
                resumeGaps.increment();
            }
            lastSeq = seq;
            epoch = (String) m.get("epoch");
        }

        @Override
        public void onClose(WebSocket ws, CloseStatus status, boolean closedByPeer) {
            resumes.increment();
            timer.schedule(this::connect, 500, TimeUnit.MILLISECONDS);
        }
    }

    /** A subscriber on a raw socket with a small receive buffer, to every stream; reads as its owner likes. */
    private static final class RawSubscriber {
        final SocketChannel channel;
        final ByteBuffer buffer = ByteBuffer.allocate(512);

        RawSubscriber(InetSocketAddress address) throws IOException {
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 8192);
            channel.connect(address);
            channel.write(ByteBuffer.wrap(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            int matched = 0; // read the response head byte by byte up to CRLFCRLF
            ByteBuffer one = ByteBuffer.allocate(1);
            while (matched < 4) {
                one.clear();
                if (channel.read(one) < 0) {
                    throw new IOException("closed during the handshake");
                }
                byte b = one.get(0);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            for (String stream : STREAMS) {
                channel.write(maskedText("{\"type\":\"subscribe\",\"stream\":\"" + stream + "\"}"));
            }
            channel.configureBlocking(false);
        }

        /** Reads at most one buffer; false once the server has closed the connection. */
        boolean readSome() {
            try {
                buffer.clear();
                return channel.read(buffer) >= 0;
            } catch (IOException e) {
                return false;
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        private static ByteBuffer maskedText(String text) {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            ByteBuffer frame = ByteBuffer.allocate(6 + payload.length);
            frame.put((byte) 0x81).put((byte) (0x80 | payload.length)).putInt(0); // zero mask key: payload as is
            frame.put(payload).flip();
            return frame;
        }
    }

    /** Slow readers read 512 bytes each every 250 ms; one the server closed is replaced. */
    private void readSlowly() {
        for (RawSubscriber s : slow) {
            if (!s.readSome()) {
                s.close();
                slow.remove(s);
                rawReplaced.increment();
            }
        }
        topUp(slow, slowReaders);
    }

    /** Every five minutes the never-reading subscribers are closed from our side and replaced. */
    private void replaceRaw() {
        for (RawSubscriber s; (s = silent.poll()) != null; ) {
            s.close();
            rawReplaced.increment();
        }
        topUp(silent, silentReaders);
    }

    private void topUp(Queue<RawSubscriber> pool, int size) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
        while (pool.size() < size) {
            try {
                pool.add(new RawSubscriber(address));
            } catch (IOException e) {
                clientFailures.increment();
                return;
            }
        }
    }

    private void report(int minute, PrintStream csv) throws IOException {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long fds;
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            fds = list.count();
        }
        HubStats stats = hub.stats();
        List<Object> row = new ArrayList<>(List.of(minute, mib(heap), mib(rss()), fds,
                ManagementFactory.getThreadMXBean().getThreadCount(), stats.connections(), churned.sum(), resumes.sum(),
                resumeGaps.sum(), rawReplaced.sum(), stats.slowConsumersDisconnected(), received.sum(), published.sum(),
                clientFailures.sum()));
        StringBuilder line = new StringBuilder();
        for (Object o : row) {
            line.append(line.length() == 0 ? "" : ",").append(o);
        }
        System.out.println(line);
        if (csv != null) {
            csv.println(line);
        }
    }

    private static String mib(long bytes) {
        return String.format("%.1f", bytes / 1048576.0);
    }

    private static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
            }
        }
        return -1;
    }
}
