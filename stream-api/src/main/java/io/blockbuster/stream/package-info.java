/**
 * The stream hub: {@link io.blockbuster.stream.StreamHub}, its sources ({@link io.blockbuster.stream.PolledSource},
 * {@link io.blockbuster.stream.IncrementalSource}, {@link io.blockbuster.stream.PushedSource}), the
 * {@link io.blockbuster.stream.StreamSession} interface a transport implements, and the Java
 * {@link io.blockbuster.stream.StreamClient}. Nothing here imports a transport type.
 */
package io.blockbuster.stream;
