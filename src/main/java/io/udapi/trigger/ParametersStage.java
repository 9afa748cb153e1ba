package io.udapi.trigger;

import io.udapi.definition.ActionType;
import io.udapi.definition.ApiDefinition;
import io.udapi.definition.InputType;
import java.util.Map;

/**
 * Parameters: for a {@code Run} definition or an input type of {@code Parameters}, the body is a flat JSON object
 * of scalars (400/10, {@link FlatParameters}). Adds the parameters, empty for every other definition. Whether the
 * declared parameters are present the engine checks (400/16, a script outcome).
 */
final class ParametersStage implements Stage {

    @Override
    public Name name() {
        return Name.PARAMETERS;
    }

    @Override
    public Outcome apply(TriggerContext ctx) {
        ApiDefinition definition = ctx.definition();
        boolean wantsParameters = definition.actionType() == ActionType.AutomationScriptNoEntryPoint
                || definition.actionMeta().inputType() == InputType.Parameters;
        if (!wantsParameters) {
            return ctx.withParameters(Map.of());
        }
        FlatParameters.Parsed parsed = FlatParameters.parse(ctx.body());
        return parsed.ok() ? ctx.withParameters(parsed.parameters())
                : ctx.reject(Rejection.INVALID_PARAMETERS, parsed.problem());
    }
}
