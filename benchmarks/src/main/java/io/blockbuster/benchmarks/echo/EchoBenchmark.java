package io.blockbuster.benchmarks.echo;

import io.blockbuster.benchmarks.fanout.LatencyHistogram;
import io.blockbuster.websocket.WebSocket;
import io.blockbuster.websocket.WebSocketClient;
import io.blockbuster.websocket.WebSocketListener;
import io.blockbuster.websocket.WebSocketServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Echo round trips of binary messages over N connections against our server or a Netty server
 * (HttpServerCodec + WebSocketServerProtocolHandler, the usual Netty setup), with our client as
 * the load generator in both cases: each connection sends a message, waits for its echo, sends
 * the next (closed loop). Server and client share this JVM and the machine's cores, equally for
 * both servers, so the ratio is the figure to read.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.blockbuster.benchmarks.echo.EchoBenchmark \
 *      --server blockbuster|netty --connections 100 --size 1024 --seconds 10 [--warmup 5] [--loops 2]
 * </pre>
 */
public final class EchoBenchmark {

    private EchoBenchmark() {
    }

    /** Echoes on our server: the payload is valid only during the call, so it is copied. */
    static WebSocketServer startBlockbuster(int loops) throws Exception {
        WebSocketServer server = WebSocketServer.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(0)
                .eventLoops(loops)
                .handler("/ws", new WebSocketListener() {
                    @Override
                    public void onBinary(WebSocket ws, ByteBuffer data) {
                        ws.sendBinary(ByteBuffer.allocate(data.remaining()).put(data).flip());
                    }
                })
                .build();
        server.start();
        return server;
    }

    /** The same echo on Netty: the frame's content is retained and written back. */
    static final class NettyEcho extends SimpleChannelInboundHandler<BinaryWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame frame) {
            ctx.writeAndFlush(new BinaryWebSocketFrame(frame.content().retain()));
        }
    }

    static final class Client implements WebSocketListener {
        final ByteBuffer message;
        final LatencyHistogram histogram;
        volatile boolean measuring;
        volatile boolean stopped;
        long sentAt;
        long roundTrips;

        Client(ByteBuffer message, LatencyHistogram histogram) {
            this.message = message;
            this.histogram = histogram;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            sentAt = System.nanoTime();
            webSocket.sendBinary(message.duplicate());
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            long now = System.nanoTime();
            if (measuring) {
                roundTrips++;
                histogram.record(now - sentAt);
            }
            if (!stopped) {
                sentAt = System.nanoTime();
                webSocket.sendBinary(message.duplicate());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String which = "blockbuster";
        int connections = 100;
        int size = 1024;
        int seconds = 10;
        int warmup = 5;
        int loops = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--server" -> which = value;
                case "--connections" -> connections = Integer.parseInt(value);
                case "--size" -> size = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--loops" -> loops = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        WebSocketServer ours = null;
        EventLoopGroup group = null;
        int port;
        if (which.equals("netty")) {
            group = new MultiThreadIoEventLoopGroup(loops, NioIoHandler.newFactory());
            Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                    new WebSocketServerProtocolHandler("/ws", null, false, 1 << 20), new NettyEcho());
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            port = ((InetSocketAddress) channel.localAddress()).getPort();
        } else {
            ours = startBlockbuster(loops);
            port = ours.port();
        }

        byte[] payload = new byte[size];
        new Random(1).nextBytes(payload);
        ByteBuffer message = ByteBuffer.wrap(payload).asReadOnlyBuffer();
        List<Client> clients = new ArrayList<>();
        Queue<LatencyHistogram> histograms = new ConcurrentLinkedQueue<>();
        try (WebSocketClient client = WebSocketClient.builder().eventLoops(loops).build()) {
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                LatencyHistogram h = new LatencyHistogram();
                histograms.add(h);
                Client c = new Client(message, h);
                clients.add(c);
                opening.add(client.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), c));
            }
            CompletableFuture.allOf(opening.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
            clients.forEach(c -> c.measuring = true);
            long start = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            clients.forEach(c -> c.measuring = false);
            double elapsed = (System.nanoTime() - start) / 1e9;
            clients.forEach(c -> c.stopped = true);
            Thread.sleep(500);
            long total = 0;
            LatencyHistogram merged = new LatencyHistogram();
            for (Client c : clients) {
                total += c.roundTrips;
            }
            for (LatencyHistogram h : histograms) {
                merged.add(h);
            }
            System.out.printf(Locale.ROOT, "%s server: %d connections, %d B binary echo, %.1f s: %.0f round trips/s,"
                            + " RTT ms p50 %.3f p99 %.3f p99.9 %.3f max %.3f%n",
                    which, connections, size, elapsed, total / elapsed, merged.valueAt(0.5) / 1e6,
                    merged.valueAt(0.99) / 1e6, merged.valueAt(0.999) / 1e6, merged.max() / 1e6);
        } finally {
            if (ours != null) {
                ours.close();
            }
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        }
        System.exit(0);
    }
}
