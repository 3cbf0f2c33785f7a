package io.blockbuster.examples.dashboard.node;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real node reached over JSON-RPC 2.0. The methods and result shapes are documented in
 * {@code docs/dashboard.md}; in short:
 *
 * <pre>
 * blockchain_info            -&gt; {"block_height": 1204567, "finality_time": 2.4, "tps": 85.3}
 * network_info               -&gt; {"peer_count": 24, "bandwidth_in": 251000, "bandwidth_out": 201000,
 *                                "active_connections": 31}
 * network_peers              -&gt; [{"id": "...", "address": "203.0.113.7:30333", "latency_ms": 41,
 *                                 "is_validator": true}, ...]
 * market_health              -&gt; {"compute": {"status": "healthy", "active_jobs": 140,
 *                                "total_providers": 38}, "storage": {...}, "energy": {...}, "ads": {...}}
 * receipts_since {"after_height": h, "limit": n}
 *                            -&gt; [{"id": "...", "market": "compute", "block_height": 1204566,
 *                                 "timestamp": 1764100000, "provider": "...", "consumer": "...",
 *                                 "amount": 12.5}, ...]   (oldest first)
 * </pre>
 *
 * A result that does not have this shape counts as the node failing. Thread safe.
 */
public final class JsonRpcNode implements ChainNode {

    private final JsonRpcClient rpc;

    public JsonRpcNode(URI endpoint, Duration timeout) {
        this.rpc = new JsonRpcClient(endpoint, timeout);
    }

    @Override
    public ChainInfo chainInfo() {
        Map<?, ?> r = object("blockchain_info", rpc.call("blockchain_info", null));
        return new ChainInfo(longField(r, "block_height"), doubleField(r, "finality_time"), doubleField(r, "tps"));
    }

    @Override
    public NetworkInfo networkInfo() {
        Map<?, ?> r = object("network_info", rpc.call("network_info", null));
        return new NetworkInfo((int) longField(r, "peer_count"), longField(r, "bandwidth_in"),
                longField(r, "bandwidth_out"), (int) longField(r, "active_connections"));
    }

    @Override
    public List<Peer> peers() {
        List<Peer> out = new ArrayList<>();
        for (Object o : array("network_peers", rpc.call("network_peers", null))) {
            Map<?, ?> p = object("network_peers", o);
            out.add(new Peer(stringField(p, "id"), stringField(p, "address"), (int) longField(p, "latency_ms"),
                    booleanField(p, "is_validator")));
        }
        return out;
    }

    @Override
    public List<MarketStats> markets() {
        Map<?, ?> r = object("market_health", rpc.call("market_health", null));
        List<MarketStats> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : r.entrySet()) {
            Map<?, ?> m = object("market_health", e.getValue());
            out.add(new MarketStats(String.valueOf(e.getKey()), stringField(m, "status"),
                    (int) longField(m, "active_jobs"), (int) longField(m, "total_providers")));
        }
        return out;
    }

    @Override
    public List<Receipt> receiptsSince(long afterHeight, int limit) {
        Object result = rpc.call("receipts_since", Map.of("after_height", afterHeight, "limit", limit));
        List<Receipt> out = new ArrayList<>();
        for (Object o : array("receipts_since", result)) {
            Map<?, ?> r = object("receipts_since", o);
            out.add(new Receipt(stringField(r, "id"), stringField(r, "market"), longField(r, "block_height"),
                    longField(r, "timestamp"), stringField(r, "provider"), stringField(r, "consumer"),
                    doubleField(r, "amount")));
            if (out.size() == limit) {
                break;
            }
        }
        return out;
    }

    @Override
    public String describe() {
        return rpc.endpoint().toString();
    }

    private static Map<?, ?> object(String method, Object o) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new NodeUnavailableException(method + ": expected an object in the result");
    }

    private static List<?> array(String method, Object o) {
        if (o instanceof List<?> l) {
            return l;
        }
        throw new NodeUnavailableException(method + ": expected an array as the result");
    }

    private static long longField(Map<?, ?> m, String name) {
        if (m.get(name) instanceof Number n) {
            return n.longValue();
        }
        throw new NodeUnavailableException("result field " + name + " is missing or not a number");
    }

    private static double doubleField(Map<?, ?> m, String name) {
        if (m.get(name) instanceof Number n) {
            return n.doubleValue();
        }
        throw new NodeUnavailableException("result field " + name + " is missing or not a number");
    }

    private static String stringField(Map<?, ?> m, String name) {
        if (m.get(name) instanceof String s) {
            return s;
        }
        throw new NodeUnavailableException("result field " + name + " is missing or not a string");
    }

    private static boolean booleanField(Map<?, ?> m, String name) {
        if (m.get(name) instanceof Boolean b) {
            return b;
        }
        throw new NodeUnavailableException("result field " + name + " is missing or not a boolean");
    }
}
