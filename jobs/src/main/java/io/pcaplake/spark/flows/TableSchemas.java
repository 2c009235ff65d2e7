package io.pcaplake.spark.flows;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark schemas of the lake tables, derived from their contracts ({@code formats/src/main/avro/*.avsc}, on the
 * classpath as {@code io/pcaplake/tables/<table>.avsc}): same names, same order, same types; a union with
 * {@code null} is a nullable column, anything else is not null; each field's {@code doc} becomes the column
 * comment. Type mapping: string, int, long, double, float, boolean, bytes as themselves; {@code long} with
 * {@code timestamp-micros} as {@code TimestampType}; arrays as {@code ArrayType} (elements non-null unless the item
 * type is a null union); records as structs.
 */
public final class TableSchemas {
  private TableSchemas() { }

  /** The Avro contract of a table ({@code flows}, {@code anomalies}, ...). */
  public static Schema avro(String table) {
    String resource = "/io/pcaplake/tables/" + table + ".avsc";
    try (InputStream in = TableSchemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no table contract " + resource + " on the classpath");
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Spark schema of a table, from its contract. */
  public static StructType of(String table) {
    return struct(avro(table));
  }

  /** Converts an Avro record schema. */
  public static StructType struct(Schema record) {
    if (record.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException("not a record: " + record);
    }
    List<StructField> fields = new ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      Schema s = f.schema();
      boolean nullable = isNullUnion(s);
      StructField field = DataTypes.createStructField(f.name(), type(nullable ? nonNull(s) : s), nullable);
      fields.add(f.doc() == null ? field : field.withComment(f.doc()));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  static DataType type(Schema s) {
    LogicalType logical = s.getLogicalType();
    return switch (s.getType()) {
      case STRING, ENUM -> DataTypes.StringType;
      case INT -> DataTypes.IntegerType;
      case LONG -> logical instanceof LogicalTypes.TimestampMicros ? DataTypes.TimestampType : DataTypes.LongType;
      case DOUBLE -> DataTypes.DoubleType;
      case FLOAT -> DataTypes.FloatType;
      case BOOLEAN -> DataTypes.BooleanType;
      case BYTES, FIXED -> DataTypes.BinaryType;
      case ARRAY -> {
        Schema items = s.getElementType();
        boolean nullItems = isNullUnion(items);
        yield DataTypes.createArrayType(type(nullItems ? nonNull(items) : items), nullItems);
      }
      case RECORD -> struct(s);
      case UNION -> throw new IllegalArgumentException("only [null, T] unions are supported: " + s);
      default -> throw new IllegalArgumentException("unsupported Avro type " + s);
    };
  }

  private static boolean isNullUnion(Schema s) {
    return s.getType() == Schema.Type.UNION && s.getTypes().size() == 2
        && s.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL);
  }

  private static Schema nonNull(Schema union) {
    return union.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
  }
}
