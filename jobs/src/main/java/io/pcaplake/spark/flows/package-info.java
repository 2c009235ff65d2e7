/**
 * The flows job ({@code docs/flows.md}): {@link io.pcaplake.spark.flows.FlowsJob#run} reads captures once with the
 * {@code pcap} data source in {@code rows=segments} mode, shuffles segments by connection key, reassembles each
 * key with {@link io.pcaplake.flow.FlowAssembler} and writes the {@code flows} and {@code anomalies} tables
 * (schemas from the {@code .avsc} contracts, {@link io.pcaplake.spark.flows.TableSchemas}) and report.xml.
 */
package io.pcaplake.spark.flows;
