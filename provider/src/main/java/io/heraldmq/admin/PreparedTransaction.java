package io.heraldmq.admin;

import java.util.List;

/**
 * An XA branch the broker holds, as {@link HeraldAdmin#listTransactions()} shows it.
 *
 * @param xid          {@code formatId:gtridHex:bqualHex}
 * @param state        {@code prepared}, {@code deciding}, {@code heuristic-commit} or {@code heuristic-rollback}
 * @param preparedAt   ms since the epoch when it was prepared (for a branch recovered after a restart: when the
 *                     broker started)
 * @param messages     messages it sent, invisible until it commits
 * @param consumed     deliveries it consumed, held (neither acknowledged nor redelivered) until it ends
 * @param destinations where its messages go ({@code queue:NAME}, {@code topic:NAME})
 */
public record PreparedTransaction(String xid, String state, long preparedAt, int messages, int consumed,
                                  List<String> destinations) {
}
