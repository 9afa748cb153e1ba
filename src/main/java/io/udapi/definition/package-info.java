/**
 * API definitions: a route under {@code /api/custom/}, the tokens allowed to trigger it, and the action it runs
 * (docs/concepts.md, "Definitions").
 *
 * <p><b>Purpose.</b> {@code ApiDefinition} is the versioned record; {@code ActionMeta} names the script and the
 * {@code ActionType} ({@code OnApiTrigger}, {@code Parameters}, {@code Run}) with its {@code InputType}. Part of
 * the model: records that know nothing of HTTP or storage. Routes are validated in {@code route}.
 *
 * <p><b>Threading model.</b> Immutable and safe to share; the registry publishes new snapshots of them.
 *
 * <p><b>Error policy.</b> Constructors reject impossible values as programming errors; request bodies are
 * validated in {@code manage} into these types, so a stored definition is always valid.
 */
package io.udapi.definition;
