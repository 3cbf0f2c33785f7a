/**
 * The hub's JSON wire protocol, sans I/O: the client's requests ({@link io.blockbuster.stream.protocol.ClientRequest},
 * read by {@link io.blockbuster.stream.protocol.RequestDecoder}), the server's messages
 * ({@link io.blockbuster.stream.protocol.ServerMessage}, data written by
 * {@link io.blockbuster.stream.protocol.DataEnvelope}) and the {@code error} codes. Each message is
 * written and read in one place, by the hub and the Java client alike. No sockets, threads or clocks;
 * imports only {@code java.*} and {@code io.blockbuster.stream.json}. The wire format is described in
 * {@code docs/stream-hub.md}.
 */
package io.blockbuster.stream.protocol;
