package io.pcaplake.spark.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/tables.md describes every column of each table contract, in order, with the contract's own description. */
class TablesDocTest {

  @ParameterizedTest
  @ValueSource(strings = {"flows", "http", "anomalies", "captures", "packets"})
  void docsListEveryColumnOfTheContract(String table) throws IOException {
    Path doc = Path.of("..", "docs", "tables.md");
    assertTrue(Files.exists(doc), "docs/tables.md next to the jobs module");
    List<String> rows = section(Files.readAllLines(doc), "## " + table);
    Schema contract = TableSchemas.avro(table);
    List<String> expected = new ArrayList<>();
    for (Schema.Field f : contract.getFields()) {
      expected.add("`" + f.name() + "` | " + f.doc());
    }
    List<String> documented = new ArrayList<>();
    for (String row : rows) {
      String[] cells = row.split("\\|");
      documented.add(cells[1].trim() + " | " + cells[3].trim());
    }
    assertEquals(expected, documented, "docs/tables.md section " + table + " vs " + table + ".avsc");
  }

  /** The table rows (after the header and separator) of one section. */
  private static List<String> section(List<String> lines, String heading) {
    int at = lines.indexOf(heading);
    assertTrue(at >= 0, "no section " + heading);
    List<String> rows = new ArrayList<>();
    for (int i = at + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      String line = lines.get(i);
      if (line.startsWith("| `")) {
        rows.add(line);
      }
    }
    return rows;
  }
}
