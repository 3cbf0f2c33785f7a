/**
 * What a host uses: {@link io.blockbuster.stream.StreamHub}, its sources ({@link io.blockbuster.stream.PolledSource},
 * {@link io.blockbuster.stream.IncrementalSource}, {@link io.blockbuster.stream.PushedSource}), stream
 * options, authorization, stats, and the transport seam: {@link io.blockbuster.stream.StreamSession},
 * which a transport implements, and {@link io.blockbuster.stream.HubConnection}, which it feeds.
 * Nothing here imports a transport type. The Java client is in {@code io.blockbuster.stream.client},
 * the wire protocol in {@code io.blockbuster.stream.protocol}.
 */
package io.blockbuster.stream;
