/**
 * Token usage (docs/tokens.md, "Usage"): when each token was last admitted. Threading: the event loop
 * records admissions lock-free into per-token slots of {@link io.udapi.usage.UsageRecorder}; the
 * management API reads them. Error policy: recording cannot fail; it does no I/O.
 */
package io.udapi.usage;
