package io.kimiproxy.features.importers;

import io.vertx.core.json.JsonObject;

/**
 * How one look at Cline's task history ended.
 *
 * @param message     why nothing was imported (missing, refused, invalid, failed), else null
 * @param tasksInFile the tasks the file held (imported outcomes only)
 * @param skipped     entries of the file without an id or a time
 * @param counts      what the import changed in the database (imported outcomes only)
 */
public record ImportReport(Outcome outcome, String message, long atMs, int tasksInFile, int skipped, UpsertCounts counts) {

  public enum Outcome { IMPORTED, UNCHANGED, MISSING, REFUSED, INVALID, FAILED }

  static ImportReport of(Outcome outcome, String message) {
    return new ImportReport(outcome, message, System.currentTimeMillis(), 0, 0, null);
  }

  /** The file was read: its contents changed since the last look, or were looked at on request. */
  boolean fileRead() {
    return outcome == Outcome.IMPORTED || outcome == Outcome.INVALID;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("at", atMs).put("tasks_in_file", tasksInFile).put("skipped", skipped);
    if (counts != null) {
      json.put("inserted", counts.inserted()).put("updated", counts.updated()).put("unchanged", counts.unchanged());
    }
    return json;
  }
}
