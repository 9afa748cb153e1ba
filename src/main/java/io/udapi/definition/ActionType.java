package io.udapi.definition;

/** What a trigger runs: the script's {@code OnApiTrigger} entry point, or its plain {@code Run}. */
public enum ActionType {
    AutomationScript,
    AutomationScriptNoEntryPoint
}
