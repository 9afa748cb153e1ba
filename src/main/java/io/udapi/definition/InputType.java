package io.udapi.definition;

/** How an {@code AutomationScript} receives the body: as text, or parsed into flat parameters. */
public enum InputType {
    RawBody,
    Parameters
}
