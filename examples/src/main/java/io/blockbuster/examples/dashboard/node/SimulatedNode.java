package io.blockbuster.examples.dashboard.node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * A blockchain node that lives in memory, for running the dashboard without a real one.
 *
 * <p>Time drives it: whenever it is read, it first produces every block that should have been
 * produced since the last read (one every {@link #BLOCK_TIME_SECONDS} seconds divided by the speed
 * factor). Each block moves the metrics a little (throughput and finality mean-revert around their
 * usual values, bandwidth follows throughput), settles a few receipts, and now and then a peer
 * leaves, joins or changes latency, and a market degrades or recovers. The random source is seeded,
 * so a test with a fake clock sees the same chain every time.
 *
 * <p>Thread safe: every read holds the node's lock.
 */
public final class SimulatedNode implements ChainNode {

    static final double BLOCK_TIME_SECONDS = 2.0;
    static final List<String> MARKETS = List.of("compute", "storage", "energy", "ads");

    private static final int RECEIPT_HISTORY = 2_000;
    private static final int MAX_BLOCKS_PER_CATCH_UP = 10_000;

    private final LongSupplier nanoTime;
    private final long blockNanos;
    private final Random random;
    private final double blockSeconds;

    private long lastBlockNanos;
    private long height = 1_204_000;
    private double tps = 85;
    private double finality = 2.4;
    private final List<Peer> peers = new ArrayList<>();
    private final Map<String, Integer> baseLatency = new HashMap<>();
    private final List<MutableMarket> markets = new ArrayList<>();
    private final Deque<Receipt> receipts = new ArrayDeque<>();

    /** A node on the wall clock, at normal speed. */
    public static SimulatedNode realTime() {
        return new SimulatedNode(System::nanoTime, 1.0, System.nanoTime());
    }

    /**
     * @param nanoTime the clock (System::nanoTime, or a fake one in tests)
     * @param speed how many times faster than real time blocks are produced (1 = every 2 s)
     * @param seed seed of the random source
     */
    public SimulatedNode(LongSupplier nanoTime, double speed, long seed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be > 0: " + speed);
        }
        this.nanoTime = nanoTime;
        this.blockSeconds = BLOCK_TIME_SECONDS / speed;
        this.blockNanos = Math.max(1, (long) (BLOCK_TIME_SECONDS * 1e9 / speed));
        this.random = new Random(seed);
        this.lastBlockNanos = nanoTime.getAsLong();
        for (int i = 0; i < 24; i++) {
            peers.add(newPeer());
        }
        int[][] start = {{140, 38}, {95, 52}, {60, 21}, {210, 17}};
        for (int i = 0; i < MARKETS.size(); i++) {
            markets.add(new MutableMarket(MARKETS.get(i), start[i][0], start[i][1]));
        }
        // Fill some history so the first screen has receipts to show.
        long nowMillis = System.currentTimeMillis();
        for (int i = 8; i > 0; i--) {
            produceBlock((nowMillis - (long) (i * blockSeconds * 1000)) / 1000);
        }
    }

    @Override
    public synchronized ChainInfo chainInfo() {
        catchUp();
        return new ChainInfo(height, round(finality, 2), round(tps, 1));
    }

    @Override
    public synchronized NetworkInfo networkInfo() {
        catchUp();
        long gossip = (long) (tps * 2_400 + peers.size() * 9_000);
        long in = gossip + random.nextInt(40_000);
        long out = (long) (gossip * 0.8) + random.nextInt(30_000);
        return new NetworkInfo(peers.size(), in, out, peers.size() + 6 + random.nextInt(10));
    }

    @Override
    public synchronized List<Peer> peers() {
        catchUp();
        return List.copyOf(peers);
    }

    @Override
    public synchronized List<MarketStats> markets() {
        catchUp();
        List<MarketStats> out = new ArrayList<>(markets.size());
        for (MutableMarket m : markets) {
            out.add(new MarketStats(m.name, m.status, m.activeJobs, m.providers));
        }
        return out;
    }

    @Override
    public synchronized List<Receipt> receiptsSince(long afterHeight, int limit) {
        catchUp();
        List<Receipt> out = new ArrayList<>();
        for (Receipt r : receipts) {
            if (r.blockHeight() > afterHeight) {
                out.add(r);
                if (out.size() == limit) {
                    break;
                }
            }
        }
        return out;
    }

    @Override
    public String describe() {
        return "simulated";
    }

    private void catchUp() {
        long now = nanoTime.getAsLong();
        long due = (now - lastBlockNanos) / blockNanos;
        if (due <= 0) {
            return;
        }
        lastBlockNanos += due * blockNanos;
        // Each block is stamped with the wall-clock second it was due, so receipts never lie in the future.
        long nowMillis = System.currentTimeMillis();
        for (long i = Math.min(due, MAX_BLOCKS_PER_CATCH_UP); i > 0; i--) {
            produceBlock((nowMillis - (long) ((i - 1) * blockSeconds * 1000)) / 1000);
        }
    }

    private void produceBlock(long timestamp) {
        height++;
        // Throughput and finality wander and drift back to their usual values.
        tps = clamp(tps + (85 - tps) * 0.08 + random.nextGaussian() * 9, 12, 240);
        finality = clamp(finality + (2.4 - finality) * 0.15 + random.nextGaussian() * 0.18, 1.1, 7.5);

        int count = poisson(tps / 45);
        for (int i = 0; i < count; i++) {
            MutableMarket market = markets.get(random.nextInt(markets.size()));
            receipts.addLast(new Receipt(
                    String.format("rcpt_%012x", random.nextLong() & 0xffff_ffff_ffffL),
                    market.name, height, timestamp,
                    String.format("prv_%06x", random.nextInt(1 << 24)),
                    String.format("acc_%06x", random.nextInt(1 << 24)),
                    round(0.05 + random.nextDouble() * random.nextDouble() * 250, 4)));
        }
        while (receipts.size() > RECEIPT_HISTORY) {
            receipts.removeFirst();
        }

        double churn = random.nextDouble();
        if (churn < 0.05 && peers.size() > 6) {
            baseLatency.remove(peers.remove(random.nextInt(peers.size())).id());
        } else if (churn < 0.10 && peers.size() < 48) {
            peers.add(newPeer());
        }
        for (int i = 0; i < peers.size(); i++) {
            Peer p = peers.get(i);
            // Jitter around the peer's own usual latency (its distance does not change).
            int base = baseLatency.getOrDefault(p.id(), p.latencyMs());
            int latency = (int) clamp(p.latencyMs() + (base - p.latencyMs()) * 0.2 + random.nextGaussian() * 5, 2, 900);
            peers.set(i, new Peer(p.id(), p.address(), latency, p.isValidator()));
        }

        for (MutableMarket m : markets) {
            m.step();
        }
    }

    private Peer newPeer() {
        String[] prefixes = {"203.0.113.", "198.51.100.", "192.0.2."};
        String address = prefixes[random.nextInt(prefixes.length)] + (1 + random.nextInt(254)) + ":30333";
        String id = String.format("12D3KooW%012x", random.nextLong() & 0xffff_ffff_ffffL);
        int latency = 12 + (int) Math.abs(random.nextGaussian() * 70);
        baseLatency.put(id, latency);
        return new Peer(id, address, latency, random.nextInt(3) == 0);
    }

    private int poisson(double mean) {
        double limit = Math.exp(-mean);
        double p = random.nextDouble();
        int k = 0;
        while (p > limit && k < 50) {
            p *= random.nextDouble();
            k++;
        }
        return k;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    /** Seconds between blocks at this node's speed. */
    double blockSeconds() {
        return blockSeconds;
    }

    private final class MutableMarket {
        final String name;
        int activeJobs;
        int providers;
        String status = "healthy";
        int troubleBlocks;

        MutableMarket(String name, int activeJobs, int providers) {
            this.name = name;
            this.activeJobs = activeJobs;
            this.providers = providers;
        }

        void step() {
            activeJobs = Math.max(0, activeJobs + (int) Math.round(random.nextGaussian() * 6));
            if (random.nextDouble() < 0.04) {
                providers = Math.max(1, providers + (random.nextBoolean() ? 1 : -1));
            }
            if (troubleBlocks > 0) {
                if (--troubleBlocks == 0) {
                    status = "healthy";
                }
            } else if (random.nextDouble() < 0.006) {
                status = random.nextInt(5) == 0 ? "down" : "degraded";
                troubleBlocks = 8 + random.nextInt(20);
            }
        }
    }
}
