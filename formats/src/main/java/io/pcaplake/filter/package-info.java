/**
 * Capture filters: the tcpdump/pcap-filter(7) subset ({@code host}, {@code net}, {@code port}, {@code portrange},
 * {@code src}/{@code dst}, {@code tcp}, {@code udp}, {@code ip}, {@code ip6}, {@code vlan}, {@code and}/{@code or}/
 * {@code not}, parentheses). The public door is {@link io.pcaplake.filter.CaptureFilter#parse(String)}; errors are
 * {@link io.pcaplake.filter.FilterSyntaxException} with a position. Grammar, precedence and the connection semantics
 * used by the ingest job are in {@code docs/filter.md}.
 */
package io.pcaplake.filter;
