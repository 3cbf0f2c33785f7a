/**
 * The Java client of a stream hub: {@link io.blockbuster.stream.client.StreamClient}, which reconnects
 * and resumes by itself, its listeners and the {@link io.blockbuster.stream.client.StreamMessage} it
 * delivers. It talks through a small {@link io.blockbuster.stream.client.StreamClient.Connector} seam;
 * {@code io.blockbuster.stream.binding} supplies one over websocket-core. Reads and writes the wire
 * through {@code io.blockbuster.stream.protocol}.
 */
package io.blockbuster.stream.client;
