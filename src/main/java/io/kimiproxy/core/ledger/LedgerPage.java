package io.kimiproxy.core.ledger;

import java.util.List;

/** A page of ledger rows and the sequence number to continue after. */
public record LedgerPage(List<RequestRecord> rows, long lastSeq) {
  public boolean isEmpty() {
    return rows.isEmpty();
  }
}
