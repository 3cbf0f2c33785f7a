/**
 * Cluster mode for the blockbuster stream hub: {@link io.blockbuster.stream.redis.RedisEngine}, a
 * {@link io.blockbuster.stream.StreamEngine} that lets several hub nodes behind a load balancer serve
 * the same streams (shared seq and history, delivery to every node, one poller per source) through
 * Redis. See {@code docs/cluster.md}.
 */
module io.blockbuster.stream.redis {
    requires transitive io.blockbuster.stream;
    requires lettuce.core;

    exports io.blockbuster.stream.redis;
}
