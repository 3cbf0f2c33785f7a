package io.blockbuster.examples.dashboard.streams;

import io.blockbuster.examples.dashboard.node.ChainInfo;
import io.blockbuster.examples.dashboard.node.ChainNode;
import io.blockbuster.examples.dashboard.node.MarketStats;
import io.blockbuster.examples.dashboard.node.NetworkInfo;
import io.blockbuster.examples.dashboard.node.NodeUnavailableException;
import io.blockbuster.examples.dashboard.node.Peer;
import io.blockbuster.examples.dashboard.node.Receipt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what the node answers into the payloads of the dashboard's four streams, with the field
 * names the page and the REST API share. It also keeps the node's reachability: every payload
 * carries {@code node_status} ({@code online} or {@code unreachable}); while the node is
 * unreachable the payloads repeat the last known values (network strength drops to 0, statuses to
 * {@code unknown}) and carry {@code node_error}; the first answer after that brings them back.
 *
 * <p>Payloads are JSON-shaped trees of {@code Map<String, Object>}, {@code List}, {@code String},
 * {@code Number} and {@code Boolean}, freshly built on every call. Thread safe.
 */
public final class DashboardFeeds {

    public static final String NETWORK_METRICS = "network_metrics";
    public static final String MARKETS_HEALTH = "markets_health";
    public static final String RECEIPTS = "receipts";
    public static final String PEERS = "peers";

    public static final String ONLINE = "online";
    public static final String UNREACHABLE = "unreachable";

    /** Most receipts {@code GET /api/receipts} returns. */
    public static final int MAX_RECENT_RECEIPTS = 100;
    /** Blocks of history the first receipts poll looks back. */
    static final int FIRST_POLL_BLOCKS = 10;
    private static final int RECEIPTS_PER_POLL = 1_000;

    private final ChainNode node;

    private final Object statusLock = new Object();
    private String nodeStatus = ONLINE;
    private String nodeError;
    private long unreachableSinceMillis;

    /** Receipts kept in memory: for the REST API, and so a REST read never takes one from the stream. */
    private static final int RECEIPT_BUFFER = 1_000;

    private final Object receiptLock = new Object();
    private long nodeCursor = -1;           // highest block height fetched from the node
    private long fetched;                   // receipts fetched so far; numbers the buffer
    private long streamCursor;              // receipts the stream has delivered
    private final Deque<Receipt> recent = new ArrayDeque<>();   // newest first
    private String lastBatchStatus = ONLINE;
    private long batches;

    private volatile ChainInfo lastChain = new ChainInfo(0, 0, 0);
    private volatile NetworkInfo lastNetwork = new NetworkInfo(0, 0, 0, 0);
    private volatile List<MarketStats> lastMarkets = List.of();
    private volatile List<Peer> lastPeers = List.of();

    public DashboardFeeds(ChainNode node) {
        this.node = node;
    }

    public ChainNode node() {
        return node;
    }

    /** {@code network_metrics}: asks {@code blockchain_info} and {@code network_info}. */
    public Map<String, Object> networkMetrics() {
        boolean online;
        try {
            ChainInfo chain = node.chainInfo();
            NetworkInfo network = node.networkInfo();
            lastChain = chain;
            lastNetwork = network;
            online = reachable();
        } catch (NodeUnavailableException e) {
            online = unreachable(e);
        }
        ChainInfo chain = lastChain;
        NetworkInfo network = lastNetwork;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("network_strength", online ? networkStrength(network.peerCount(), chain.finalityTimeSeconds()) : 0);
        m.put("block_height", chain.blockHeight());
        m.put("finality_time", chain.finalityTimeSeconds());
        m.put("peer_count", network.peerCount());
        m.put("tps", chain.tps());
        m.put("bandwidth_in", network.bandwidthInBytesPerSecond());
        m.put("bandwidth_out", network.bandwidthOutBytesPerSecond());
        m.put("active_connections", network.activeConnections());
        return withStatus(m);
    }

    /** {@code markets_health}: asks {@code market_health}. */
    public Map<String, Object> marketsHealth() {
        boolean online;
        try {
            lastMarkets = node.markets();
            online = reachable();
        } catch (NodeUnavailableException e) {
            online = unreachable(e);
        }
        List<MarketStats> markets = lastMarkets;
        Map<String, Object> byName = new LinkedHashMap<>();
        int healthy = 0;
        for (MarketStats s : markets) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("status", online ? s.status() : "unknown");
            one.put("active_jobs", s.activeJobs());
            one.put("total_providers", s.totalProviders());
            byName.put(s.name(), one);
            if (s.isHealthy()) {
                healthy++;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("overall_status", online ? overallStatus(healthy, markets.size()) : "unknown");
        m.put("markets", byName);
        m.put("healthy_markets", online ? healthy : 0);
        m.put("total_markets", markets.size());
        return withStatus(m);
    }

    /** {@code peers}: asks {@code network_peers}. */
    public Map<String, Object> peers() {
        try {
            lastPeers = node.peers();
            reachable();
        } catch (NodeUnavailableException e) {
            unreachable(e);
        }
        List<Peer> peers = lastPeers;
        List<Object> list = new ArrayList<>(peers.size());
        for (Peer p : peers) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", p.id());
            one.put("address", p.address());
            one.put("latency_ms", p.latencyMs());
            one.put("is_validator", p.isValidator());
            list.add(one);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peers", list);
        m.put("total", list.size());
        return withStatus(m);
    }

    /**
     * {@code receipts}: the receipts settled since the previous call (oldest first), asking
     * {@code receipts_since}. The first call looks back {@value #FIRST_POLL_BLOCKS} blocks.
     */
    public Map<String, Object> newReceipts() {
        List<Receipt> fresh = new ArrayList<>();
        synchronized (receiptLock) {
            fetchReceipts();
            long undelivered = Math.min(fetched - streamCursor, recent.size());
            var it = recent.iterator();
            for (long i = 0; i < undelivered; i++) {
                fresh.add(0, it.next());
            }
            streamCursor = fetched;
        }
        return receiptsPayload(fresh);
    }

    /**
     * The receipts stream's poll: a list of at most one batch, the {@link #newReceipts()} payload,
     * when there are new receipts or the node's status changed since the last batch (so the stream
     * says when the node goes away and comes back); otherwise an empty list.
     */
    public List<Map<String, Object>> receiptBatches() {
        Map<String, Object> batch = newReceipts();
        String status = (String) batch.get("node_status");
        synchronized (receiptLock) {
            boolean changed = !status.equals(lastBatchStatus);
            if ((int) batch.get("count") == 0 && !changed) {
                return List.of();
            }
            lastBatchStatus = status;
            batch.put("batch", ++batches);
        }
        return List.of(batch);
    }

    /** What identifies a batch to the hub's de-duplication: its number in this process. */
    public static Object batchKey(Map<String, Object> batch) {
        return batch.get("batch");
    }

    /**
     * The newest {@code limit} receipts (newest first), for {@code GET /api/receipts}. Asks the node
     * for new ones first; does not change what the stream delivers next.
     */
    public Map<String, Object> recentReceipts(int limit) {
        List<Receipt> out = new ArrayList<>();
        synchronized (receiptLock) {
            fetchReceipts();
            for (Receipt r : recent) {
                if (out.size() == limit) {
                    break;
                }
                out.add(r);
            }
        }
        return receiptsPayload(out);
    }

    private void fetchReceipts() {
        try {
            if (nodeCursor < 0) {
                nodeCursor = Math.max(0, node.chainInfo().blockHeight() - FIRST_POLL_BLOCKS);
            }
            long after = nodeCursor;
            for (Receipt r : node.receiptsSince(after, RECEIPTS_PER_POLL)) {
                if (r.blockHeight() <= after) {
                    continue;   // a node that ignores after_height must not make us show receipts twice
                }
                nodeCursor = Math.max(nodeCursor, r.blockHeight());
                recent.addFirst(r);
                fetched++;
                if (recent.size() > RECEIPT_BUFFER) {
                    recent.removeLast();
                }
            }
            reachable();
        } catch (NodeUnavailableException e) {
            unreachable(e);
        }
    }

    /** {@code online} or {@code unreachable}. */
    public String nodeStatus() {
        synchronized (statusLock) {
            return nodeStatus;
        }
    }

    /**
     * Network strength from 0 to 100: 55 % how well connected the node is (24 peers or more is
     * full marks), 45 % how fast blocks finalise (1.5 s or less is full marks, 8 s or more none).
     */
    static int networkStrength(int peerCount, double finalitySeconds) {
        double peers = Math.min(1.0, peerCount / 24.0);
        double finality = Math.max(0.0, Math.min(1.0, (8.0 - finalitySeconds) / 6.5));
        return (int) Math.round(100 * (0.55 * peers + 0.45 * finality));
    }

    /**
     * As the original system reports it: {@code healthy} when at least three quarters of the markets
     * are (3 of 4), {@code degraded} when at least half are, else {@code critical}.
     */
    static String overallStatus(int healthy, int total) {
        if (total == 0) {
            return "unknown";
        }
        if (healthy * 4 >= total * 3) {
            return "healthy";
        }
        return healthy * 2 >= total ? "degraded" : "critical";
    }

    private Map<String, Object> receiptsPayload(List<Receipt> receipts) {
        List<Object> list = new ArrayList<>(receipts.size());
        for (Receipt r : receipts) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", r.id());
            one.put("market", r.market());
            one.put("block_height", r.blockHeight());
            one.put("timestamp", r.timestamp());
            one.put("provider", r.provider());
            one.put("consumer", r.consumer());
            one.put("amount", r.amount());
            list.add(one);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("receipts", list);
        m.put("count", list.size());
        return withStatus(m);
    }

    private boolean reachable() {
        synchronized (statusLock) {
            nodeStatus = ONLINE;
            nodeError = null;
            return true;
        }
    }

    private boolean unreachable(NodeUnavailableException e) {
        synchronized (statusLock) {
            if (ONLINE.equals(nodeStatus)) {
                unreachableSinceMillis = System.currentTimeMillis();
            }
            nodeStatus = UNREACHABLE;
            nodeError = e.getMessage();
            return false;
        }
    }

    private Map<String, Object> withStatus(Map<String, Object> m) {
        synchronized (statusLock) {
            m.put("node_status", nodeStatus);
            if (nodeError != null) {
                m.put("node_error", nodeError);
                m.put("unreachable_since", unreachableSinceMillis / 1000);
            }
        }
        return m;
    }
}
