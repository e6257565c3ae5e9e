package io.observes.etl.zoho;

import io.observes.pipeline.value.JsonValues;
import io.observes.pipeline.value.SourceBytes;
import io.observes.pipeline.value.Value;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The rows of a bulk-read result: the one CSV (UTF-8, RFC 4180, a header of field API names) in the
 * downloaded zip, read record by record; the file is deleted when the stream closes. Bytes that are
 * not UTF-8 are kept escaped in their cell ({@link SourceBytes}); in the header they fail the read.
 * A UTF-8 byte order mark before the header is no part of the first column's name. The key column
 * is found in any case ({@code Id} as the clients read it, {@code id} as Zoho's v7 pages write it)
 * and given as the key's name, so every spelling loads into the same column.
 */
final class ZohoCsv {
  private ZohoCsv() {}

  private static final char BYTE_ORDER_MARK = '\uFEFF';

  static Stream<Map<String, String>> rows(Path zip, String what, String key) {
    try {
      ZipInputStream in = new ZipInputStream(Files.newInputStream(zip), StandardCharsets.UTF_8);
      ZipEntry entry = in.getNextEntry();
      while (entry != null && (entry.isDirectory() || !entry.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".csv"))) {
        entry = in.getNextEntry();
      }
      if (entry == null) {
        in.close();
        throw new IllegalStateException("the result of " + what + " holds no CSV file");
      }
      // Strictly: a byte that is not UTF-8 reaches its cell escaped (ZohoFields rejects that cell),
      // never replaced by U+FFFD, which would load an altered value and lose the byte.
      Reader reader = withoutByteOrderMark(SourceBytes.reader(in));
      CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader);
      for (String name : parser.getHeaderNames()) {
        String invalid = SourceBytes.firstInvalid(name);
        if (invalid != null) {
          parser.close();
          Files.deleteIfExists(zip);
          throw new IllegalStateException("the header of the result of " + what + " is not valid UTF-8 (" + invalid
              + " of the column name " + JsonValues.toAsciiJson(new Value.Text(name)) + "), so no column of it can be named. "
              + "Nothing was loaded; ask Zoho for the bulk read again (observes etl zoho prepare).");
        }
      }
      List<String> keys = parser.getHeaderNames().stream().filter(key::equalsIgnoreCase).toList();
      if (keys.size() != 1) {
        parser.close();
        Files.deleteIfExists(zip);
        throw new IllegalStateException("the result of " + what + " has " + (keys.isEmpty() ? "no column " + key
            : "more than one column " + key + " (" + String.join(", ", keys) + ")") + " in any case to key its records by; its "
            + "header is " + String.join(", ", parser.getHeaderNames()) + ". Nothing was loaded; ask Zoho for the bulk read "
            + "again (observes etl zoho prepare).");
      }
      String named = keys.get(0);
      Iterator<CSVRecord> records = parser.iterator();
      return StreamSupport.stream(Spliterators.spliteratorUnknownSize(records, Spliterator.ORDERED), false)
          .map(record -> named.equals(key) ? record.toMap() : renamed(record.toMap(), named, key))
          .onClose(() -> {
            try {
              parser.close();
              Files.deleteIfExists(zip);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the result of " + what + " (" + zip + "): " + e.getMessage(), e);
    }
  }

  /** {@code reader} past a byte order mark, if the text starts with one (Excel-minded CSV writers put it there). */
  private static Reader withoutByteOrderMark(Reader reader) throws IOException {
    PushbackReader in = new PushbackReader(reader, 1);
    int first = in.read();
    if (first != -1 && first != BYTE_ORDER_MARK) {
      in.unread(first);
    }
    return in;
  }

  /** The cells in their order, {@code from} named {@code to}. */
  private static Map<String, String> renamed(Map<String, String> cells, String from, String to) {
    Map<String, String> out = new LinkedHashMap<>(cells.size() * 2);
    cells.forEach((name, text) -> out.put(name.equals(from) ? to : name, text));
    return out;
  }
}
