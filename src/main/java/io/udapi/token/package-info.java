/**
 * API tokens (docs/concepts.md, "Tokens"; docs/tokens.md).
 *
 * <p><b>Purpose.</b> {@code ApiToken} is the versioned record: name, Argon2id hash, lookup tag and hint of the
 * secret, disabled flag, expiry, {@code RateLimit}, a {@code PreviousSecret} during a rotation overlap, and
 * {@code SourceRanges}. {@code TokenName} holds the naming rule and its case-insensitive key;
 * {@code SourceRanges} compiles CIDR blocks (parsed by {@code AddressText}) into sorted interval tables
 * ({@code AddressTable}). Part of the model: nothing here knows HTTP or storage.
 *
 * <p><b>Threading model.</b> Immutable and safe to share. {@code SourceRanges.allows} runs on the event loop
 * without allocation: a binary search over arrays built once per token version.
 *
 * <p><b>Error policy.</b> Parsing user input ({@code SourceRanges.parse}, names) returns a value or a message
 * naming the bad entry; constructors reject impossible values as programming errors.
 */
package io.udapi.token;
