/**
 * The range-read gRPC protocol: {@code range_read.proto} and the Java messages and Vert.x stubs
 * generated from it ({@link io.abrfetch.protocol.RangeReadGrpcService},
 * {@link io.abrfetch.protocol.RangeReadGrpcClient}).
 *
 * <p>Threading: generated messages are immutable and safe to share across threads; the Vert.x
 * stubs follow Vert.x rules (a client or service call is used from the context that opened it).
 */
package io.abrfetch.protocol;
