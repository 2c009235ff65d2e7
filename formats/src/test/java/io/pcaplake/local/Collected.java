package io.pcaplake.local;

import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.http.HttpRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link TableSink} that keeps every row, in arrival order. */
final class Collected implements TableSink {
  final List<ConnectionRecord> flows = new ArrayList<>();
  final Map<String, Integer> exchangesByFlow = new HashMap<>();
  final List<HttpRecord> http = new ArrayList<>();
  final List<AnomalyRecord> anomalies = new ArrayList<>();
  final List<String> filesDone = new ArrayList<>();
  /** Every call in order: "flow:<id>", "http:<id>", "anomaly:<reason>". */
  final List<String> order = new ArrayList<>();

  @Override
  public void flow(ConnectionRecord c, int httpExchanges) {
    flows.add(c);
    exchangesByFlow.put(c.flowId(), httpExchanges);
    order.add("flow:" + c.flowId());
  }

  @Override
  public void http(HttpRecord r) {
    http.add(r);
    order.add("http:" + r.flowId());
  }

  @Override
  public void anomaly(AnomalyRecord a) {
    anomalies.add(a);
    order.add("anomaly:" + a.reason());
  }

  @Override
  public void captureDone(String file, long records, long bad) {
    filesDone.add(file + ":" + records);
  }

  static Collected run(List<CaptureInput> inputs, LocalOptions o) throws Exception {
    Collected c = new Collected();
    LocalEngine.run(inputs, o, c);
    return c;
  }
}
