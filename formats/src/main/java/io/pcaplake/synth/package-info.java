/**
 * The traffic synthesizer: builds link-layer frames, TCP conversations with chosen impairments, HTTP/1.1 byte
 * streams, the demo capture ({@link io.pcaplake.synth.SampleCapture}) and the benchmark capture
 * ({@link io.pcaplake.synth.BulkCapture}). Every test in the project states its packets through it.
 *
 * <p>Public doors: {@link io.pcaplake.synth.Frames}, {@link io.pcaplake.synth.Fragments},
 * {@link io.pcaplake.synth.TcpConversation}, {@link io.pcaplake.synth.HttpTraffic},
 * {@link io.pcaplake.synth.CaptureFiles}, {@link io.pcaplake.synth.SampleCapture},
 * {@link io.pcaplake.synth.BulkCapture}; values are records.
 */
package io.pcaplake.synth;
