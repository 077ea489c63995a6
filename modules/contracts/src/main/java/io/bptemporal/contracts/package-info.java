/**
 * Wire contracts shared by every bp-temporal process and by clients in other languages.
 *
 * <p>{@link io.bptemporal.contracts.ContractValidator} is the one entry point that parses a JSON
 * document, checks it against its JSON Schema and the rules a schema cannot express, and returns
 * every violation at once. The feature packages hold the records and the Temporal interfaces:
 * {@code event} (event envelope), {@code activity} (registry row and task instances), {@code
 * naming} (namespaces, task queues, workflow IDs), {@code idempotency}, {@code ordersaga}, {@code
 * pipeline} and {@code runactivity}. The human-readable description of every field lives in {@code
 * docs/contracts.md}.
 */
package io.bptemporal.contracts;
