package io.blockbuster.examples.dashboard.node;

import java.util.List;

/**
 * What the dashboard reads from a blockchain node. Each method is one JSON-RPC call on a real node
 * ({@link JsonRpcNode}) and a direct read on the {@link SimulatedNode}.
 *
 * <p>Implementations are thread safe. Every method either answers or throws
 * {@link NodeUnavailableException}; none blocks for longer than the implementation's timeout.
 */
public interface ChainNode {

    /** {@code blockchain_info}: head height, finality time and throughput. */
    ChainInfo chainInfo();

    /** {@code network_info}: peer count and bandwidth as the node sees them. */
    NetworkInfo networkInfo();

    /** {@code network_peers}: the peers the node is connected to. */
    List<Peer> peers();

    /** {@code market_health}: one entry per market (compute, storage, energy, ads). */
    List<MarketStats> markets();

    /**
     * {@code receipts_since}: receipts in blocks strictly above {@code afterHeight}, oldest first,
     * at most {@code limit} of them.
     */
    List<Receipt> receiptsSince(long afterHeight, int limit);

    /** A short human description: "simulated" or the node's URL. */
    String describe();
}
