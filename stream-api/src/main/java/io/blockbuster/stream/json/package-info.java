/**
 * A small, strict JSON writer and parser ({@link io.blockbuster.stream.json.Json}) and the
 * {@link io.blockbuster.stream.json.JsonCodec} seam through which a host can plug in another library.
 */
package io.blockbuster.stream.json;
