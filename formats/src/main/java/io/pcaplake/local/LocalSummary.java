package io.pcaplake.local;

/**
 * What one local engine run did.
 *
 * @param files capture inputs read
 * @param records capture records read
 * @param tcpSegments TCP segments reassembled (after the filter)
 * @param connections connections emitted ({@code flows} rows)
 * @param httpExchanges {@code http} rows
 * @param anomalies {@code anomalies} rows
 * @param peakFlows most keys held in the flow table at once
 * @param flowsEndedFull keys ended early because the flow table was full
 * @param elapsedNanos wall time of the run
 */
public record LocalSummary(int files, long records, long tcpSegments, long connections, long httpExchanges,
                           long anomalies, int peakFlows, long flowsEndedFull, long elapsedNanos) {
}
