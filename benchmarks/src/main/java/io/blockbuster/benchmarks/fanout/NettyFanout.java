package io.blockbuster.benchmarks.fanout;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Netty yardstick: a plain Netty 4.2 WebSocket server (NIO transport, no compression) on
 * {@code /ws} that keeps subscribed channels in a {@link ChannelGroup} and broadcasts the idiomatic
 * way: one {@link TextWebSocketFrame} per publish, a {@code retainedDuplicate()} written and flushed
 * to each channel. Same messages as {@link RawFanout}; nothing of ours is involved.
 *
 * <p>{@code perLoop} (mode {@code netty-loop}) is the tuned variant: a group per event loop, and
 * each publish hands every loop one task that writes to its own channels, instead of one
 * cross-thread write task per channel. It shows how much of the plain variant's cost is that handoff.
 */
final class NettyFanout implements FanoutServer.ServerUnderTest {

    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers;
    private final ChannelGroup subscribers = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Map<EventLoop, ChannelGroup> subscribersByLoop = new ConcurrentHashMap<>();
    private final boolean perLoop;
    private final Channel serverChannel;

    private NettyFanout(int port, int loops, boolean perLoop) throws InterruptedException {
        this.perLoop = perLoop;
        workers = new MultiThreadIoEventLoopGroup(loops, NioIoHandler.newFactory());
        serverChannel = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new HttpServerCodec(),
                                new HttpObjectAggregator(64 * 1024),
                                new WebSocketServerProtocolHandler("/ws"),
                                new SubscribeHandler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
    }

    /** Recognises the subscribe request, as RawFanout does; a closed channel leaves the group by itself. */
    private final class SubscribeHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            if (frame.text().contains("\"subscribe\"")) {
                subscribers.add(ctx.channel());
                subscribersByLoop.computeIfAbsent(ctx.channel().eventLoop(),
                        loop -> new DefaultChannelGroup(GlobalEventExecutor.INSTANCE)).add(ctx.channel());
                ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"subscribed\",\"stream\":\"bench\"}"));
            }
        }

        /** A peer that went away (broken pipe, reset) is closed quietly, as a real server would. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    static NettyFanout start(int port, int loops, boolean perLoop) {
        try {
            return new NettyFanout(port, loops, perLoop);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public int subscribers() {
        return subscribers.size();
    }

    @Override
    public void publish(String json) {
        ByteBuf payload = ByteBufUtil.writeUtf8(PooledByteBufAllocator.DEFAULT,
                "{\"type\":\"data\",\"stream\":\"bench\",\"data\":" + json + "}");
        TextWebSocketFrame frame = new TextWebSocketFrame(payload);
        try {
            if (perLoop) {
                subscribersByLoop.forEach((loop, group) -> {
                    TextWebSocketFrame shared = frame.retainedDuplicate();
                    loop.execute(() -> {
                        try {
                            for (Channel channel : group) {
                                channel.writeAndFlush(shared.retainedDuplicate(), channel.voidPromise());
                            }
                        } finally {
                            shared.release();
                        }
                    });
                });
                return;
            }
            for (Channel channel : subscribers) {
                channel.writeAndFlush(frame.retainedDuplicate(), channel.voidPromise());
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        subscribers.close().awaitUninterruptibly();
        boss.shutdownGracefully();
        workers.shutdownGracefully();
    }
}
