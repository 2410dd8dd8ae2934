package io.kimiproxy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A table of results, printed on the console and in docs/benchmarks.md. The document is rewritten
 * on each run except what follows {@link #NOTES}, so a hand-written reading of the numbers survives.
 */
final class BenchReport {
  static final String NOTES = "<!-- notes: everything below this line is kept by make bench -->";

  private final String[] headers;
  private final List<String[]> rows = new ArrayList<>();

  BenchReport(String... headers) {
    this.headers = headers;
  }

  /** One row: the measure first, then one cell per remaining header ("" for none). */
  void add(String... cells) {
    if (cells.length != headers.length) throw new IllegalArgumentException("a row needs " + headers.length + " cells");
    rows.add(cells);
  }

  String console() {
    int[] width = new int[headers.length];
    for (String[] r : withHeaders()) {
      for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
    }
    StringBuilder out = new StringBuilder();
    for (String[] r : withHeaders()) {
      out.append(String.format("%-" + width[0] + "s", r[0]));
      for (int i = 1; i < r.length; i++) out.append(String.format("  %" + width[i] + "s", r[i]));
      out.append('\n');
    }
    return out.toString();
  }

  String markdown() {
    StringBuilder out = new StringBuilder("| ").append(String.join(" | ", headers)).append(" |\n|---");
    for (int i = 1; i < headers.length; i++) out.append(headers[i].equals("aim") ? "|---" : "|---:");
    out.append("|\n");
    for (String[] r : rows) out.append("| ").append(String.join(" | ", r)).append(" |\n");
    return out.toString();
  }

  /** Writes the document, keeping the hand-written notes of the previous one. */
  static void write(Path file, String generated) throws IOException {
    String notes = NOTES + "\n\n## Notes\n\n(none yet)\n";
    if (Files.exists(file)) {
      String old = Files.readString(file);
      int at = old.indexOf(NOTES);
      if (at >= 0) notes = old.substring(at);
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, generated + "\n" + notes);
  }

  static String ms(double value) {
    return Double.isNaN(value) ? "n/a" : String.format("%.3f ms", value);
  }

  static String addedMs(double proxy, double direct) {
    return Double.isNaN(proxy) || Double.isNaN(direct) ? "n/a" : String.format("%+.3f ms", proxy - direct);
  }

  static String mib(long kib) {
    return String.format("%.1f MiB", kib / 1024.0);
  }

  private List<String[]> withHeaders() {
    List<String[]> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    return all;
  }
}
