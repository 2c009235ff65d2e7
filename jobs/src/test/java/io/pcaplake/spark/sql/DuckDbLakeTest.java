package io.pcaplake.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.SampleLake;
import io.pcaplake.TestSpark;
import io.pcaplake.http.Secrets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The lake is plain Parquet: DuckDB (through its JDBC driver, in process) answers the 401 query over
 * {@code read_parquet(..., hive_partitioning=true)} exactly as Spark does on the registered views, and that answer
 * is the sample's truth; timestamps read as timestamps (TIMESTAMP_MICROS, UTC) with the same instants.
 */
class DuckDbLakeTest {
  static final String QUERY = "SELECT auth_token_fp, count(*) FROM %s WHERE status_code = 401"
      + " GROUP BY auth_token_fp ORDER BY 2 DESC";

  @Test
  void the401QueryGivesTheSameAnswerInDuckDbAndSparkAndItIsTheTruth() throws Exception {
    SampleLake.Lake lake = SampleLake.get();
    SparkSession spark = TestSpark.get();
    LakeViews.register(spark, lake.dir().toString());
    List<String> sparkRows = new ArrayList<>();
    for (Row r : spark.sql(String.format(QUERY, "http")).collectAsList()) {
      sparkRows.add(r.getString(0) + " " + r.getLong(1));
    }
    String http = "read_parquet('" + lake.dir() + "/http/*/*.parquet', hive_partitioning=true)";
    List<String> duckRows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery(String.format(QUERY, http))) {
        while (rs.next()) {
          duckRows.add(rs.getString(1) + " " + rs.getLong(2));
        }
      }
      assertEquals(sparkRows, duckRows);
      String fp = new Secrets(null).fingerprint(lake.truth().revokedToken());
      assertEquals(List.of(fp + " " + lake.truth().unauthorized()), duckRows, "the sample's truth");

      // Timestamps: typed as timestamps, same instants as Spark; dt from the partition folders.
      try (ResultSet rs = st.executeQuery("SELECT typeof(request_ts), typeof(response_ts), epoch_us(min(request_ts)),"
          + " count(*) FILTER (WHERE dt = '2024-03-13') FROM " + http + " WHERE status_code = 401"
          + " GROUP BY 1, 2")) {
        assertTrue(rs.next());
        assertEquals("TIMESTAMP WITH TIME ZONE", rs.getString(1));
        assertEquals("TIMESTAMP WITH TIME ZONE", rs.getString(2));
        Instant first = Instant.EPOCH.plusNanos(rs.getLong(3) * 1_000L);
        Instant sparkFirst = ((java.sql.Timestamp) spark.sql("SELECT min(request_ts) FROM http"
            + " WHERE status_code = 401").first().get(0)).toInstant();
        assertEquals(sparkFirst, first);
        assertEquals(Instant.EPOCH.plusNanos(lake.truth().firstUnauthorizedNanos() / 1_000 * 1_000), first);
        assertEquals(0, rs.getLong(4), "no 401 on the second day");
      }
      try (ResultSet rs = st.executeQuery("SELECT typeof(start_ts), typeof(dt), count(*) FROM read_parquet('"
          + lake.dir() + "/flows/*/*.parquet', hive_partitioning=true) GROUP BY 1, 2")) {
        assertTrue(rs.next());
        assertEquals("TIMESTAMP WITH TIME ZONE", rs.getString(1));
        assertEquals("DATE", rs.getString(2), "docs/sql.md: DuckDB types dt as a DATE");
        assertEquals(lake.truth().connections(), rs.getLong(3));
      }
      try (ResultSet rs = st.executeQuery("SELECT typeof(dt), count(*) FROM read_parquet('" + lake.dir()
          + "/http/*/*.parquet', hive_partitioning=true, hive_types_autocast=false) WHERE dt = '2024-03-13'"
          + " GROUP BY 1")) {
        assertTrue(rs.next());
        assertEquals("VARCHAR", rs.getString(1));
        assertEquals(lake.truth().incidents().secondDayRequests(), rs.getLong(2));
      }
    }
  }
}
